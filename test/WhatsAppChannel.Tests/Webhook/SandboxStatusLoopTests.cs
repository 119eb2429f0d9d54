using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Webhook;

/// <summary>The loop on one machine: the sender sends through the sandbox, the sandbox posts signed status webhooks
/// to the webhook function behind a Function URL stand-in, and the ledger's funnel shows what became of each message.</summary>
public sealed class SandboxStatusLoopTests
{
    private static async Task<(IReadOnlyList<CampaignFunnel> Funnels, (int Posted, int Refused) Webhooks)> RunAsync(string sandboxSecret)
    {
        var webhook = new WebhookInvoker();
        await using var function = WebhookFunction.Create(
            FunctionConfiguration.FromLookup(webhook.Settings.GetValueOrDefault), TextWriter.Null, new WebhookFunctionOptions { Ledger = webhook.Ledger });
        await using var url = await FunctionUrlStandIn.StartAsync(function);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            PairRateWindow = null,
            WebhookUrl = url.Url,
            WebhookAppSecret = sandboxSecret,
            StatusDelay = TimeSpan.FromMilliseconds(10),
        });
        var campaign = new PinpointEventBuilder()
            .Add("ep-1", "+14155552001").Add("ep-2", "+14155552002").Add("ep-limit", "+14155551049").Add("ep-gone", "+14155551026");

        var run = await ChannelInvoker.RunAsync(
            ChannelInvoker.Settings(sandbox.BaseUrl, "sandbox-token", "100000000000001"), campaign, TimeSpan.FromSeconds(20), ledger: webhook.Ledger);
        Assert.All(campaign.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await sandbox.WaitForStatusWebhooksAsync(timeout.Token);

        return (await webhook.Ledger.ReadFunnelsAsync(null, CancellationToken.None), sandbox.StatusWebhooks);
    }

    [Fact]
    public async Task Sent_messages_end_delivered_and_read_and_the_reserved_numbers_fail_with_their_codes()
    {
        var (funnels, webhooks) = await RunAsync(MetaWebhookSender.AppSecret);

        var funnel = Assert.Single(funnels);
        Assert.Equal((4, 2, 2, 2), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
        Assert.Equal(new Dictionary<string, int> { ["131026"] = 1, ["131049"] = 1 }, funnel.FailedByCode);
        Assert.Equal((10, 0), webhooks);
    }

    [Fact]
    public async Task Status_webhooks_signed_with_another_secret_are_refused_and_change_nothing()
    {
        var (funnels, webhooks) = await RunAsync("not-the-app-secret");

        var funnel = Assert.Single(funnels);
        Assert.Equal((4, 0, 0, 0), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
        Assert.Equal((0, 10), webhooks);
    }
}
