using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Webhook;

/// <summary>How the DynamoDB ledger stores statuses and opt-outs (item shapes), against dynalite on 127.0.0.1; what every
/// ledger promises about them is in the ledger contract tests. Two ledgers with their own clients stand for the sender
/// and the webhook function.</summary>
public sealed class DynamoDbStatusLedgerTests(DynaliteServer server) : IClassFixture<DynaliteServer>, IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestClock.Create();
    private readonly List<IDisposable> _owned = [];
    private string _table = null!;

    public async Task InitializeAsync() => _table = await server.CreateTableAsync();

    public Task DisposeAsync()
    {
        _owned.ForEach(o => o.Dispose());
        return Task.CompletedTask;
    }

    private DynamoDbLedger NewInstance()
    {
        var ledger = new DynamoDbLedger(server.CreateClient(), _table, TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), _clock, ownsClient: true);
        _owned.Add(ledger);
        return ledger;
    }

    private static async Task SendAsync(DynamoDbLedger sender, string key, string messageId, string campaign = "spring-sale", string recipient = "16505551234")
    {
        await sender.TryClaimAsync(key, Ct);
        await sender.CompleteAsync(key, new LedgerOutcome(messageId) { CampaignId = campaign, RecipientHash = NumberHash.Of(recipient) }, Ct);
    }

    private Task<Dictionary<string, AttributeValue>> ItemAsync(string id) => server.ReadItemAsync(_table, id);

    [Fact]
    public async Task A_completed_send_is_findable_by_its_message_id()
    {
        await SendAsync(NewInstance(), "key-1", "wamid.A");

        var message = await ItemAsync("message#wamid.A");
        Assert.Equal("key-1", message["sendKey"].S);
        Assert.Equal("spring-sale", message["campaignId"].S);
        Assert.Equal("sent", message["deliveryState"].S);
        Assert.Equal(NumberHash.Of("16505551234"), message["recipientHash"].S);
        Assert.True(message.ContainsKey("expiresAt"));
        Assert.Equal("spring-sale", (await ItemAsync("key-1"))["campaignId"].S);
    }

    [Fact]
    public async Task A_failure_is_final_and_keeps_its_error_code()
    {
        await SendAsync(NewInstance(), "key-1", "wamid.A");
        var webhook = NewInstance();

        Assert.True(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Failed, "131049"), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Failed, "131026"), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));

        var message = await ItemAsync("message#wamid.A");
        Assert.Equal(("failed", "131049"), (message["deliveryState"].S, message["errorCode"].S));
    }

    [Fact]
    public async Task Opt_outs_are_stored_hashed_and_lifted()
    {
        var webhook = NewInstance();
        var stopped = NumberHash.Of("16505551234");
        await webhook.SetOptOutAsync(stopped, optedOut: true, Ct);
        var asked = Enumerable.Range(0, 150).Select(i => NumberHash.Of($"4477009{i:D5}")).Append(stopped).ToList();

        Assert.Equal([stopped], await NewInstance().FindOptedOutAsync(asked, Ct));
        Assert.Equal(64, stopped.Length);
        Assert.True((await ItemAsync("optout#" + stopped)).ContainsKey("optedOutAt"));

        await webhook.SetOptOutAsync(stopped, optedOut: false, Ct);
        Assert.Empty(await NewInstance().FindOptedOutAsync(asked, Ct));
    }

    [Fact]
    public async Task An_unreachable_table_is_ledger_unavailable_for_statuses_and_opt_outs()
    {
        var ledger = new DynamoDbLedger(
            server.CreateClient(new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}")),
            _table, TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), _clock, ownsClient: true);
        _owned.Add(ledger);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.FindOptedOutAsync([NumberHash.Of("1")], Ct));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.SetOptOutAsync(NumberHash.Of("1"), true, Ct));
    }
}
