using System.Text;
using WhatsAppChannel.Webhook;

namespace WhatsAppChannel.Tests.Webhook;

public sealed class WebhookSignatureTests
{
    private const string Campaign = "spring-sale";
    private readonly WebhookInvoker _webhook = new();

    private async Task<WebhookAnswer> PostDeliveredAsync(Func<byte[], string, string> toEvent)
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);
        var body = MetaWebhookSender.Statuses(MetaWebhookSender.Status("wamid.A", "delivered"));
        return await _webhook.InvokeAsync(toEvent(Encoding.UTF8.GetBytes(body), body));
    }

    private async Task AssertNothingRecordedAsync(WebhookAnswer answer, int status)
    {
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal(0, (await _webhook.FunnelAsync(Campaign))!.Delivered);
    }

    [Fact]
    public async Task A_good_signature_is_answered_ok_and_the_status_recorded()
    {
        var answer = await PostDeliveredAsync((_, body) => MetaWebhookSender.Post(body));

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("""{"status":"ok"}""", answer.Body);
        Assert.Equal(1, (await _webhook.FunnelAsync(Campaign))!.Delivered);
    }

    [Fact]
    public async Task A_missing_signature_is_401_and_records_nothing() =>
        await AssertNothingRecordedAsync(await PostDeliveredAsync((_, body) => MetaWebhookSender.Post(body, signature: "")), 401);

    [Fact]
    public async Task A_signature_made_with_another_secret_is_401_and_records_nothing() =>
        await AssertNothingRecordedAsync(await PostDeliveredAsync((bytes, body) => MetaWebhookSender.Post(body, MetaWebhookSender.Sign(bytes, "another-app-secret"))), 401);

    [Theory]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("sha1=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")]
    [InlineData("0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")]
    [InlineData("sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")]
    public async Task A_malformed_or_wrong_signature_is_401_and_records_nothing(string header) =>
        await AssertNothingRecordedAsync(await PostDeliveredAsync((_, body) => MetaWebhookSender.Post(body, header)), 401);

    [Fact]
    public async Task A_body_altered_by_one_byte_after_signing_is_401()
    {
        var answer = await PostDeliveredAsync((bytes, body) => MetaWebhookSender.Post(body.Replace("delivered", "delivereD", StringComparison.Ordinal), MetaWebhookSender.Sign(bytes)));

        await AssertNothingRecordedAsync(answer, 401);
    }

    [Fact]
    public async Task A_base64_body_is_verified_over_its_decoded_bytes()
    {
        var answer = await PostDeliveredAsync((_, body) => MetaWebhookSender.Post(body, base64: true));

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(1, (await _webhook.FunnelAsync(Campaign))!.Delivered);
    }

    [Fact]
    public async Task A_base64_body_signed_over_its_base64_text_is_401()
    {
        var answer = await PostDeliveredAsync((bytes, body) =>
            MetaWebhookSender.Post(body, MetaWebhookSender.Sign(Encoding.UTF8.GetBytes(Convert.ToBase64String(bytes))), base64: true));

        await AssertNothingRecordedAsync(answer, 401);
    }

    [Fact]
    public async Task Without_an_app_secret_every_post_is_401()
    {
        var webhook = new WebhookInvoker(WebhookInvoker.DefaultSettings());
        webhook.Settings.Remove("FB_APP_SECRET");

        var answer = await webhook.InvokeAsync(MetaWebhookSender.Post(MetaWebhookSender.Statuses(MetaWebhookSender.Status("wamid.A", "delivered"))));

        Assert.Equal(401, answer.StatusCode);
    }

    [Fact]
    public void The_check_matches_a_published_hmac_sha256_vector()
    {
        // HMAC-SHA256("test", key "secret"), as published for Meta webhook signature checks.
        Assert.True(WebhookSignature.IsValid("sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914", "test"u8, "secret"));
        Assert.True(WebhookSignature.IsValid("sha256=0329A06B62CD16B33EB6792BE8C60B158D89A2EE3A876FCE9A881EBB488C0914", "test"u8, "secret"));
        Assert.False(WebhookSignature.IsValid("sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914", "tesT"u8, "secret"));
        Assert.False(WebhookSignature.IsValid(null, "test"u8, "secret"));
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_as_text()
    {
        var answer = await _webhook.InvokeAsync(MetaWebhookSender.Verification("subscribe", MetaWebhookSender.VerifyToken, "1158201444"));

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("1158201444", answer.Body);
        Assert.Equal("text/plain", answer.Headers["content-type"]);
    }

    [Theory]
    [InlineData("subscribe", "wrong-token", "1158201444")]
    [InlineData("subscribe", null, "1158201444")]
    [InlineData("unsubscribe", MetaWebhookSender.VerifyToken, "1158201444")]
    [InlineData(null, MetaWebhookSender.VerifyToken, "1158201444")]
    [InlineData("subscribe", MetaWebhookSender.VerifyToken, null)]
    public async Task Any_other_get_is_403(string? mode, string? token, string? challenge)
    {
        var answer = await _webhook.InvokeAsync(MetaWebhookSender.Verification(mode, token, challenge));

        Assert.Equal(403, answer.StatusCode);
        Assert.DoesNotContain("1158201444", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_verify_token_configured_the_handshake_is_403()
    {
        var webhook = new WebhookInvoker(WebhookInvoker.DefaultSettings());
        webhook.Settings.Remove("WHATSAPP_WEBHOOK_VERIFY_TOKEN");

        var answer = await webhook.InvokeAsync(MetaWebhookSender.Verification("subscribe", "", "1158201444"));

        Assert.Equal(403, answer.StatusCode);
    }
}
