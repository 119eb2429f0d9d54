using System.Text;
using WhatsAppChannel.Planning;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.WhatsApp;

public sealed class MessageBodyTests
{
    [Fact]
    public void The_body_is_exactly_the_cloud_api_template_message()
    {
        var components = """[{"type":"body","parameters":[{"type":"text","text":"Tuohumai"}]}]"""u8;

        var body = Write("8613800138000", "ordertimeoutnotification", "en_US", components, "3f2a9c");

        Assert.Equal(
            """{"messaging_product":"whatsapp","recipient_type":"individual","to":"8613800138000","type":"template","template":{"name":"ordertimeoutnotification","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Tuohumai"}]}]},"biz_opaque_callback_data":"3f2a9c"}""",
            body);
    }

    [Fact]
    public void A_template_without_components_has_no_components_key()
    {
        var body = Write("1", "hello_world", "en_US", default, "key");
        Assert.DoesNotContain("components", body, StringComparison.Ordinal);
    }

    private static string Write(string to, string templateName, string languageCode, ReadOnlySpan<byte> components, string callbackData)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            MessageRequestWriter.WriteTo(writer, to, templateName, languageCode, components, callbackData);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Success_gives_the_message_id()
    {
        var attempt = WhatsAppClient.Interpret(200, """{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.ABC"}]}"""u8);

        Assert.Equal(SendOutcome.Accepted, attempt.Outcome);
        Assert.Equal("wamid.ABC", attempt.MessageId);
    }

    [Fact]
    public void Meta_errors_give_code_and_message_with_details()
    {
        var attempt = WhatsAppClient.Interpret(400, """{"error":{"message":"(#131026) Message Undeliverable","type":"OAuthException","code":131026,"error_data":{"messaging_product":"whatsapp","details":"Recipient is not on WhatsApp"},"fbtrace_id":"X"}}"""u8);

        Assert.Equal(SendOutcome.Rejected, attempt.Outcome);
        Assert.Equal("131026", attempt.ErrorCode);
        Assert.Equal("(#131026) Message Undeliverable: Recipient is not on WhatsApp", attempt.ErrorMessage);
        Assert.Equal(ErrorClass.Permanent, attempt.ErrorClass);
        Assert.False(attempt.MayHaveBeenDelivered);
    }

    [Theory]
    [InlineData(502, "<html>Bad Gateway</html>", nameof(SendOutcome.Rejected), "502")]
    [InlineData(500, "", nameof(SendOutcome.Rejected), "500")]
    [InlineData(200, "{not json", nameof(SendOutcome.NoAnswer), "invalid-response")]
    [InlineData(200, "{\"messages\":[]}", nameof(SendOutcome.NoAnswer), "invalid-response")]
    [InlineData(400, "{\"error\":{\"code\":\"131047\"}}", nameof(SendOutcome.Rejected), "131047")]
    public void Unreadable_or_odd_answers_are_classified_not_thrown(int status, string payload, string outcome, string code)
    {
        var attempt = WhatsAppClient.Interpret(status, Encoding.UTF8.GetBytes(payload));

        Assert.Equal(Enum.Parse<SendOutcome>(outcome), attempt.Outcome);
        Assert.Equal(code, attempt.ErrorCode);
        Assert.False(string.IsNullOrEmpty(attempt.ErrorMessage));
    }

    [Fact]
    public void A_phone_number_quoted_in_metas_error_text_is_masked_at_the_source()
    {
        var attempt = WhatsAppClient.Interpret(400, """{"error":{"message":"(#100) Invalid parameter","code":100,"error_data":{"details":"Parameter 'to' value 14155550100 is not a WhatsApp user (+44 7700 900123)"}}}"""u8);

        Assert.Equal("(#100) Invalid parameter: Parameter 'to' value ******0100 is not a WhatsApp user (******0123)", attempt.ErrorMessage);
        Assert.Equal("100", attempt.ErrorCode);
    }

    [Theory]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(404, false)]
    public void A_status_without_metas_error_body_is_certainly_unsent_only_below_500(int status, bool mayHaveBeenDelivered)
    {
        Assert.Equal(mayHaveBeenDelivered, WhatsAppClient.Interpret(status, "<html>gateway</html>"u8).MayHaveBeenDelivered);
    }

    [Fact]
    public void An_answer_cut_at_the_read_limit_still_gives_the_message_id_read_before_the_cut()
    {
        var answer = """{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.ABC"}],"padding":"xxxxxxxxxxxxxxx"""u8;

        var attempt = WhatsAppClient.Interpret(200, answer, complete: false);

        Assert.Equal(SendOutcome.Accepted, attempt.Outcome);
        Assert.Equal("wamid.ABC", attempt.MessageId);
    }

    [Theory]
    [InlineData("""{"padding":"xxxxxxxxxxxxxxxxxxxx""")]
    [InlineData("""{"messages":[{"id":"wamid.AB""")]
    [InlineData("""{"messages":[{"status":{"nested":[1,2""")]
    public void An_answer_cut_before_its_message_id_is_not_a_success(string prefix)
    {
        var attempt = WhatsAppClient.Interpret(200, Encoding.UTF8.GetBytes(prefix), complete: false);

        Assert.Equal(SendOutcome.NoAnswer, attempt.Outcome);
        Assert.True(attempt.MayHaveBeenDelivered);
    }

    [Fact]
    public void Metas_error_fields_are_read_whatever_their_order_and_whatever_else_the_error_holds()
    {
        var attempt = WhatsAppClient.Interpret(400, """{"error":{"error_data":{"messaging_product":"whatsapp","details":"Recipient is not on WhatsApp"},"extra":{"a":[1,{"b":2}]},"code":131026,"message":"(#131026) Message Undeliverable","error_subcode":2494010}}"""u8);

        Assert.Equal("131026", attempt.ErrorCode);
        Assert.Equal("(#131026) Message Undeliverable: Recipient is not on WhatsApp", attempt.ErrorMessage);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://localhost:8080", false)]
    [InlineData("https://graph.facebook.com", true)]
    public void Plain_http_to_loopback_never_goes_through_a_proxy_https_follows_the_proxy_settings(string baseUrl, bool usesProxy)
    {
        using var handler = WhatsAppClient.CreateDefaultHandler(new Uri(baseUrl));

        Assert.Equal(usesProxy, handler.UseProxy);
        Assert.Null(handler.Proxy);
    }
}
