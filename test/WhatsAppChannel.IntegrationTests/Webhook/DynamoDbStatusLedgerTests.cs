using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Webhook;

/// <summary>Statuses, opt-outs and the funnel in the DynamoDB ledger, against dynalite on 127.0.0.1.
/// Two ledgers with their own clients stand for the sender and the webhook function.</summary>
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
    public async Task The_furthest_state_wins_and_duplicates_or_late_statuses_change_nothing()
    {
        await SendAsync(NewInstance(), "key-1", "wamid.A");
        var webhook = NewInstance();

        Assert.True(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Sent), Ct));

        Assert.Equal("read", (await ItemAsync("message#wamid.A"))["deliveryState"].S);
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
    public async Task Concurrent_statuses_of_one_message_end_in_the_furthest()
    {
        await SendAsync(NewInstance(), "key-1", "wamid.A");
        var states = new[] { DeliveryState.Sent, DeliveryState.Delivered, DeliveryState.Read, DeliveryState.Delivered, DeliveryState.Sent, DeliveryState.Read };

        await Task.WhenAll(states.Select(state => NewInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", state), Ct)));

        Assert.Equal("read", (await ItemAsync("message#wamid.A"))["deliveryState"].S);
    }

    [Fact]
    public async Task A_status_before_the_send_completes_is_kept()
    {
        var webhook = NewInstance();
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered), Ct);

        await SendAsync(NewInstance(), "key-1", "wamid.A");

        var funnel = Assert.Single(await webhook.ReadFunnelsAsync(null, Ct));
        Assert.Equal((1, 1), (funnel.Sent, funnel.Delivered));
    }

    [Fact]
    public async Task The_idempotency_key_in_a_status_resolves_a_send_whose_answer_was_lost()
    {
        var sender = NewInstance();
        var key = new string('b', 64);
        await sender.TryClaimAsync(key, Ct);

        await NewInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.lost", DeliveryState.Sent, IdempotencyKey: key), Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.lost"), await NewInstance().TryClaimAsync(key, Ct));
    }

    [Fact]
    public async Task The_idempotency_key_never_overwrites_a_completed_send()
    {
        await SendAsync(NewInstance(), "key-1", "wamid.A");

        await NewInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.other", DeliveryState.Sent, IdempotencyKey: "key-1"), Ct);

        Assert.Equal("wamid.A", (await ItemAsync("key-1"))["messageId"].S);
    }

    [Fact]
    public async Task Opt_outs_are_stored_hashed_found_in_one_batch_and_lifted()
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
    public async Task The_funnel_counts_each_campaign_from_the_table()
    {
        var sender = NewInstance();
        await SendAsync(sender, "k1", "wamid.1", recipient: "16505550001");
        await SendAsync(sender, "k2", "wamid.2", recipient: "16505550002");
        await SendAsync(sender, "k3", "wamid.3", recipient: "16505550003");
        await SendAsync(sender, "k4", "wamid.4", campaign: "other", recipient: "16505550004");
        var webhook = NewInstance();
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.1", DeliveryState.Read), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.2", DeliveryState.Delivered), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.3", DeliveryState.Failed, "131049"), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.unknown", DeliveryState.Read), Ct);
        await webhook.SetOptOutAsync(NumberHash.Of("16505550002"), optedOut: true, Ct);

        var funnels = await NewInstance().ReadFunnelsAsync(null, Ct);

        Assert.Equal(["other", "spring-sale"], funnels.Select(f => f.CampaignId));
        var spring = funnels[1];
        Assert.Equal((3, 2, 1, 1, 1), (spring.Sent, spring.Delivered, spring.Read, spring.Failed, spring.OptedOut));
        Assert.Equal(new Dictionary<string, int> { ["131049"] = 1 }, spring.FailedByCode);
        Assert.Equal("other", Assert.Single(await webhook.ReadFunnelsAsync("other", Ct)).CampaignId);
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
