using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Planning;

/// <summary>The <c>biz_opaque_callback_data</c> a send writes and the webhook reads back: the key, then the campaign id.</summary>
public sealed class CallbackDataTests
{
    private static readonly string Key = IdempotencyKeys.ForToken("connect-token-1");

    private static string Format(string key, string? campaignId)
    {
        Span<char> buffer = stackalloc char[CallbackData.MaxLength];
        return new string(buffer[..CallbackData.FormatInto(buffer, key, campaignId)]);
    }

    [Fact]
    public void The_key_and_the_campaign_id_round_trip()
    {
        var data = Format(Key, "spring-sale");

        Assert.Equal(Key + ":spring-sale", data);
        Assert.Equal((Key, "spring-sale"), CallbackData.Parse(data));
    }

    [Fact]
    public void A_campaign_id_with_the_separator_in_it_comes_back_whole()
    {
        Assert.Equal((Key, "a:b:c"), CallbackData.Parse(Format(Key, "a:b:c")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_campaign_id_the_key_goes_alone(string? campaignId)
    {
        Assert.Equal(Key, Format(Key, campaignId));
        Assert.Equal((Key, (string?)null), CallbackData.Parse(Key));
    }

    [Fact]
    public void A_campaign_id_that_would_pass_meta_s_512_characters_is_left_out_so_the_key_still_goes()
    {
        var longest = new string('c', CallbackData.MaxLength - Key.Length - 1);

        Assert.Equal(CallbackData.MaxLength, Format(Key, longest).Length);
        Assert.Equal(Key, Format(Key, longest + "c"));
    }

    [Theory]
    [InlineData("claimed-key")]
    [InlineData("campaign-42")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeX:spring-sale")]
    public void Text_another_sender_put_there_is_neither_a_key_nor_a_campaign(string value)
    {
        Assert.Equal(((string?)null, (string?)null), CallbackData.Parse(value));
    }
}
