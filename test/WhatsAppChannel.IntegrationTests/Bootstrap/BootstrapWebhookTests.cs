using System.Text.Json;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Idempotency;
using WhatsAppChannel.Sandbox;
using static WhatsAppChannel.TestSupport.MetaWebhookSender;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The same bootstrap binary serving the webhook when <c>_HANDLER=webhook</c>: Function URL events from the
/// Runtime API stand-in, statuses and opt-outs into the DynamoDB ledger on dynalite, and the sender honoring them.</summary>
public sealed class BootstrapWebhookTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private Dictionary<string, string?> Function(string graphBaseUrl, string runtimeApi, string table, string? handler) =>
        new(BootstrapStartupTests.ValidFunction(graphBaseUrl, runtimeApi))
        {
            ["_HANDLER"] = handler,
            ["FB_APP_SECRET"] = AppSecret,
            ["WHATSAPP_WEBHOOK_VERIFY_TOKEN"] = VerifyToken,
            ["IDEMPOTENCY_TABLE"] = table,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Endpoint.AbsoluteUri,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDWEBHOOKTEST",
            ["AWS_SECRET_ACCESS_KEY"] = "webhook-secret-key",
        };

    private static JsonElement Answer(RuntimeApiPost post)
    {
        Assert.Equal(RuntimeApiPostKind.Response, post.Kind);
        return post.Json;
    }

    [Fact]
    public async Task With_HANDLER_webhook_the_bootstrap_verifies_records_statuses_and_stops_the_next_send()
    {
        var table = await dynalite.CreateTableAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });

        // The sender sends one message and records it.
        string messageId;
        await using (var senderApi = await RuntimeApiStandIn.StartAsync())
        await using (await BootstrapExecutable.StartAsync(Function(sandbox.BaseUrl.AbsoluteUri, senderApi.Address, table, handler: "bootstrap")))
        {
            var sent = await senderApi.InvokeAsync(CampaignEvents.Create("first", ("e1", "+16505551234")), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);
            Assert.Equal("sent", BootstrapInvocationTests.Status(sent, "e1"));
            messageId = sent.Json.GetProperty("e1").GetProperty("EventAttributes").GetProperty("whatsapp_message_id").GetString()!;
        }

        // The webhook function: same binary, _HANDLER=webhook.
        await using (var api = await RuntimeApiStandIn.StartAsync())
        await using (var webhook = await BootstrapExecutable.StartAsync(Function(sandbox.BaseUrl.AbsoluteUri, api.Address, table, handler: "webhook")))
        {
            var handshake = Answer(await api.InvokeAsync(Verification("subscribe", VerifyToken, "8472"), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound));
            Assert.Equal((200, "8472"), (handshake.GetProperty("statusCode").GetInt32(), handshake.GetProperty("body").GetString()));

            var unsigned = Answer(await api.InvokeAsync(Post(Statuses(Status(messageId, "read")), signature: ""), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound));
            Assert.Equal(401, unsigned.GetProperty("statusCode").GetInt32());

            var read = Answer(await api.InvokeAsync(Post(Statuses(Status(messageId, "read")), base64: true), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound));
            Assert.Equal(200, read.GetProperty("statusCode").GetInt32());

            var stop = Answer(await api.InvokeAsync(Post(Text("16505551234", "STOP")), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound));
            Assert.Equal(200, stop.GetProperty("statusCode").GetInt32());

            var badJson = Answer(await api.InvokeAsync(Post("{\"entry\":"), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound));
            Assert.Equal(400, badJson.GetProperty("statusCode").GetInt32());

            Assert.DoesNotContain(webhook.StandardOutput, l => l.Contains("16505551234", StringComparison.Ordinal) || l.Contains(AppSecret, StringComparison.Ordinal));
            Assert.Contains(webhook.StandardOutput, l => l.Contains("\"Read\":1", StringComparison.Ordinal));
        }

        using (var ledger = new DynamoDbLedger(dynalite.CreateClient(), table, TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow)))
        {
            var funnel = Assert.Single(await ledger.ReadFunnelsAsync(null, CancellationToken.None));
            Assert.Equal((1, 1, 1, 1), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.OptedOut));
        }

        // The next campaign to that number is skipped by the sender.
        await using (var senderApi = await RuntimeApiStandIn.StartAsync())
        await using (await BootstrapExecutable.StartAsync(Function(sandbox.BaseUrl.AbsoluteUri, senderApi.Address, table, handler: null)))
        {
            var next = await senderApi.InvokeAsync(CampaignEvents.Create("second", ("e1", "+16505551234")), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);
            Assert.Equal("skipped", BootstrapInvocationTests.Status(next, "e1"));
            Assert.Equal("opted-out-whatsapp", next.Json.GetProperty("e1").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
        }

        Assert.Single(sandbox.Messages);
    }
}
