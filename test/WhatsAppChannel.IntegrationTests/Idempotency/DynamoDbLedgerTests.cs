using WhatsAppChannel.Tests.Idempotency;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Idempotency;

/// <summary>The DynamoDB ledger against a real DynamoDB-compatible server (dynalite on 127.0.0.1): the shared
/// contract, each instance with its own client as two function instances, then what only DynamoDB shows.</summary>
public sealed class DynamoDbLedgerTests(DynaliteServer server) : SharedLedgerContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime
{
    private readonly List<IDisposable> _owned = [];
    private string _table = null!;

    public async Task InitializeAsync() => _table = await server.CreateTableAsync();

    public Task DisposeAsync()
    {
        _owned.ForEach(o => o.Dispose());
        return Task.CompletedTask;
    }

    private protected override IIdempotencyLedger NewInstance() => NewDynamoDbInstance();

    private DynamoDbLedger NewDynamoDbInstance(string? table = null, Uri? endpoint = null)
    {
        var client = server.CreateClient(endpoint);
        var ledger = new DynamoDbLedger(client, table ?? _table, ClaimLifetime, RecordLifetime, Clock, ownsClient: true);
        _owned.Add(ledger);
        return ledger;
    }

    private Task<Dictionary<string, AttributeValue>> StoredItemAsync(string key) => server.ReadItemAsync(_table, key);

    [Fact]
    public async Task A_new_key_is_claimed_and_stored_with_a_ttl_in_epoch_seconds()
    {
        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        var item = await StoredItemAsync("k");
        Assert.Equal("claimed", item["status"].S);
        Assert.Equal((Clock.GetUtcNow() + RecordLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), item["expiresAt"].N);
    }

    [Fact]
    public async Task A_completed_key_is_stored_as_completed_without_its_claim()
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
    public async Task A_released_claim_leaves_no_item()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Empty(await StoredItemAsync("k"));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task An_unreachable_ledger_fails_quickly_with_a_message_without_secrets()
    {
        var closed = new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}");
        var ledger = NewDynamoDbInstance(endpoint: closed);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.TryClaimAsync("k", Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains(_table, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-secret-key-must-not-leak", error.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.CompleteAsync("k", new LedgerOutcome("wamid.x"), Ct));
    }

    [Fact]
    public async Task A_claim_whose_answer_was_lost_is_still_ours_when_the_retried_write_finds_it()
    {
        await using var proxy = await AnswerLosingProxy.StartAsync(server.Endpoint, "DynamoDB_20120810.PutItem");
        var ledger = NewDynamoDbInstance(endpoint: proxy.Endpoint);

        var claim = await ledger.TryClaimAsync("k", Ct);

        Assert.Equal(1, proxy.Lost);
        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
        await ledger.ReleaseAsync("k", Ct);
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_ledger_that_accepts_the_connection_and_never_answers_is_unavailable_not_an_internal_error()
    {
        // The kernel accepts connections into the backlog: the requests go out and no answer ever comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var ledger = NewDynamoDbInstance(endpoint: new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"));

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.TryClaimAsync("k", Ct));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-secret-key-must-not-leak", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_table_is_reported_as_unavailable()
    {
        var ledger = NewDynamoDbInstance(table: "no-such-table");

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
