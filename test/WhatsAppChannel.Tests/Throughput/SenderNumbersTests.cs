using System.Text;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Events;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class SenderNumbersTests
{
    private readonly SenderNumbers _numbers = new("111", ["222", "333"], "WHATSAPP_PHONE_NUMBER_IDS");

    [Fact]
    public void Without_a_pick_the_default_number_sends() => Assert.Equal("111", _numbers.Resolve(null));

    [Theory]
    [InlineData("111")]
    [InlineData("222")]
    [InlineData("333")]
    public void A_listed_number_or_the_default_may_be_picked(string id) => Assert.Equal(id, _numbers.Resolve(id));

    [Fact]
    public void An_unlisted_number_is_an_invalid_event_naming_it()
    {
        var error = Assert.Throws<InvalidEventException>(() => _numbers.Resolve("444"));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Contains("'444'", error.Message, StringComparison.Ordinal);
        Assert.Contains("WHATSAPP_PHONE_NUMBER_IDS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unlisted_aws_origination_id_is_named_with_the_aws_list()
    {
        var numbers = new SenderNumbers("phone-number-id-aaa", ["phone-number-id-bbb"], "AWS_EUMS_PHONE_NUMBER_IDS");

        var error = Assert.Throws<InvalidEventException>(() => numbers.Resolve("phone-number-id-ccc"));

        Assert.Equal("phone-number-id-bbb", numbers.Resolve("phone-number-id-bbb"));
        Assert.Contains("'phone-number-id-ccc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_EUMS_PHONE_NUMBER_IDS", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+14155550123")]
    [InlineData("phone-number-id-<script>")]
    [InlineData("222\nforged log line")]
    public void Something_that_is_not_an_id_is_refused_without_being_echoed(string id)
    {
        var error = Assert.Throws<InvalidEventException>(() => _numbers.Resolve(id));

        Assert.DoesNotContain(id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_picked_number_is_read_from_data_and_blank_means_the_default()
    {
        Assert.Equal("222", Parse("""{"templateName":"t","phoneNumberId":" 222 "}""").Template!.PhoneNumberId);
        Assert.Null(Parse("""{"templateName":"t","phoneNumberId":""}""").Template!.PhoneNumberId);
        Assert.Null(Parse("""{"templateName":"t"}""").Template!.PhoneNumberId);
    }

    [Fact]
    public void A_picked_number_that_is_not_a_string_is_an_invalid_event()
    {
        var error = Assert.Throws<InvalidEventException>(() => Parse("""{"templateName":"t","phoneNumberId":222}"""));

        Assert.Contains("Data.phoneNumberId must be a string", error.Message, StringComparison.Ordinal);
    }

    private static CampaignEvent Parse(string data)
    {
        var escaped = System.Text.Json.JsonSerializer.Serialize(data);
        var json = """{"ApplicationId":"a","CampaignId":"c","Data":""" + escaped + ""","Endpoints":{"e1":{"Address":"+14155550123","ChannelType":"CUSTOM"}}}""";
        return EventParser.Parse(Encoding.UTF8.GetBytes(json));
    }
}
