using Microsoft.Extensions.Time.Testing;
using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Idempotency;

/// <summary>The DynamoDB ledger against a real DynamoDB-compatible server (dynalite on 127.0.0.1).
/// Two ledgers with their own clients stand for two function instances.</summary>
public sealed class DynamoDbLedgerTests(DynaliteServer server) : IClassFixture<DynaliteServer>, IAsyncLifetime
{
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RecordLifetime = TimeSpan.FromDays(7);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly FakeTimeProvider _clock = new();
    private readonly List<IDisposable> _owned = [];
    private string _table = null!;

    public async Task InitializeAsync() => _table = await server.CreateTableAsync();

    public Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        return Task.CompletedTask;
    }

    private DynamoDbLedger NewInstance(string? table = null, Uri? endpoint = null)
    {
        var client = DynamoDbLedger.CreateClient(endpoint ?? server.Endpoint, "us-east-1", DynaliteServer.Credentials);
        var ledger = new DynamoDbLedger(client, table ?? _table, ClaimLifetime, RecordLifetime, _clock, ownsClient: true);
        _owned.Add(ledger);
        return ledger;
    }

    private async Task<Dictionary<string, AttributeValue>> StoredItemAsync(string key)
    {
        using var client = server.CreateClient();
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { ["id"] = new AttributeValue { S = key } },
            ConsistentRead = true,
        });
        return response.Item ?? [];
    }

    [Fact]
    public async Task A_new_key_is_claimed_and_stored_with_a_ttl_in_epoch_seconds()
    {
        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        var item = await StoredItemAsync("k");
        Assert.Equal("claimed", item["status"].S);
        Assert.Equal((_clock.GetUtcNow() + RecordLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), item["expiresAt"].N);
    }

    [Fact]
    public async Task A_completed_key_is_already_sent_for_another_instance()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);

        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.first"), claim);
        var item = await StoredItemAsync("k");
        Assert.Equal("completed", item["status"].S);
        Assert.False(item.ContainsKey("claimExpiresAt"));
    }

    [Fact]
    public async Task A_completed_key_stays_sent_after_the_claim_lifetime()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);
        _clock.Advance(ClaimLifetime * 10);

        Assert.Equal(LedgerClaimStatus.AlreadySent, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_live_claim_is_in_progress_for_another_instance()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime - TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task An_expired_claim_is_taken_over_once()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_record_past_its_ttl_but_not_yet_deleted_is_claimed_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.old"), Ct);
        _clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_by_another_instance()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Empty(await StoredItemAsync("k"));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_completed_key_keeps_it_sent()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.1"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task An_instance_cannot_release_a_claim_it_does_not_hold()
    {
        await NewInstance().TryClaimAsync("k", Ct);

        await NewInstance().ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_claim_taken_over_by_another_instance_leaves_the_new_claim()
    {
        var slow = NewInstance();
        await slow.TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);

        await slow.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_send_completed_after_its_claim_was_taken_over_still_counts_as_sent()
    {
        var slow = NewInstance();
        await slow.TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        await NewInstance().TryClaimAsync("k", Ct);

        await slow.CompleteAsync("k", new LedgerOutcome("wamid.slow"), Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.slow"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task Concurrent_claims_from_two_instances_have_exactly_one_winner()
    {
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => instances[i % 2].TryClaimAsync("k", Ct))));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
        Assert.All(results.Where(r => r.Status != LedgerClaimStatus.Claimed), r => Assert.Equal(LedgerClaimStatus.InProgress, r.Status));
    }

    [Fact]
    public async Task Concurrent_takeovers_of_an_expired_claim_have_exactly_one_winner()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => instances[i % 2].TryClaimAsync("k", Ct))));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
    }

    [Fact]
    public async Task Two_instances_sending_a_batch_at_once_claim_each_key_once()
    {
        var keys = Enumerable.Range(0, 50).Select(i => IdempotencyKey.Compute("app", "camp", "0", "act", "t", $"ep-{i}", "{}")).ToArray();
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(instances.SelectMany(ledger => keys.Select(async key => (key, claim: await ledger.TryClaimAsync(key, Ct)))));

        Assert.All(results.GroupBy(r => r.key), g => Assert.Single(g, r => r.claim.Status == LedgerClaimStatus.Claimed));
    }

    [Fact]
    public async Task An_unreachable_ledger_fails_quickly_with_a_message_without_secrets()
    {
        var closed = new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}");
        var ledger = NewInstance(endpoint: closed);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.TryClaimAsync("k", Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains(_table, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-secret-key-must-not-leak", error.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.CompleteAsync("k", new LedgerOutcome("wamid.x"), Ct));
    }

    [Fact]
    public async Task A_missing_table_is_reported_as_unavailable()
    {
        var ledger = NewInstance(table: "no-such-table");

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.TryClaimAsync("k", Ct));

        Assert.Contains("ResourceNotFoundException", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-secret-key-must-not-leak", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releasing_when_the_table_is_gone_is_reported_as_unavailable()
    {
        var ledger = NewInstance();
        await ledger.TryClaimAsync("k", Ct);
        using (var client = server.CreateClient())
        {
            await client.DeleteTableAsync(_table);
            await WaitUntilGoneAsync(client);
        }

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.ReleaseAsync("k", Ct));
    }

    [Fact]
    public async Task A_cancelled_call_is_cancelled_not_unavailable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewInstance().TryClaimAsync("k", cancelled.Token));
    }

    private async Task WaitUntilGoneAsync(AmazonDynamoDBClient client)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await client.DescribeTableAsync(_table);
            }
            catch (ResourceNotFoundException)
            {
                return;
            }

            await Task.Delay(50);
        }
    }
}
