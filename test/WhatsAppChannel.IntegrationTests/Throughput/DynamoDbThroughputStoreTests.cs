using System.Globalization;
using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Idempotency;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.IntegrationTests.Throughput;

/// <summary>The shared budget against a real DynamoDB-compatible server (dynalite on 127.0.0.1), in the same table as
/// the ledger. Stores with their own clients stand for separate function instances.</summary>
public sealed class DynamoDbThroughputStoreTests(DynaliteServer server) : IClassFixture<DynaliteServer>, IAsyncLifetime
{
    private const string Number = "100000000000001";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly List<IDisposable> _owned = [];
    private string _table = null!;

    public async Task InitializeAsync() => _table = await server.CreateTableAsync();

    public Task DisposeAsync()
    {
        _owned.ForEach(o => o.Dispose());
        return Task.CompletedTask;
    }

    private DynamoDbThroughputStore NewInstance(int perSecond = 80, Uri? endpoint = null)
    {
        var client = server.CreateClient(endpoint);
        var store = new DynamoDbThroughputStore(client, _table, perSecond, ownsClient: true);
        _owned.Add(store);
        return store;
    }

    private Task<Dictionary<string, AttributeValue>> StoredItemAsync(string id) => server.ReadItemAsync(_table, id);

    [Fact]
    public async Task A_slot_grants_its_share_of_the_limit_then_nothing()
    {
        var store = NewInstance();

        // At 80/s, eleven slots hold 80: slot 1000 (the last of its eleven) holds 8, slot 1001 (the first) 7.
        Assert.Equal(5, await store.TakeAsync(Number, 1000, 5, Ct));
        Assert.Equal(3, await store.TakeAsync(Number, 1000, 5, Ct));
        Assert.Equal(0, await store.TakeAsync(Number, 1000, 5, Ct));
        Assert.Equal(7, await store.TakeAsync(Number, 1001, 50, Ct));
    }

    [Fact]
    public async Task The_slot_item_counts_permits_and_expires_by_ttl_an_hour_after_the_slot()
    {
        await NewInstance().TakeAsync(Number, 17_000_000_000, 6, Ct);

        var item = await StoredItemAsync("throughput#" + Number + "#17000000000");
        Assert.Equal("6", item["permits"].N);
        var expected = (ThroughputSlots.StartOf(17_000_000_000) + TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), item["expiresAt"].N);
    }

    [Fact]
    public async Task Each_number_has_its_own_items()
    {
        var store = NewInstance();
        await store.TakeAsync(Number, 1000, 8, Ct);

        Assert.Equal(8, await store.TakeAsync("100000000000002", 1000, 8, Ct));
    }

    /// <summary>Eight instances race for the same second: together they never get more than the limit in any eleven
    /// consecutive slots (so in any rolling second, even with sends a slot late), and the slots they fill are full
    /// (nothing is left unused while callers wait).</summary>
    [Fact]
    public async Task Concurrent_instances_never_get_more_than_the_limit_in_any_rolling_second()
    {
        const int Limit = 85;
        var instances = Enumerable.Range(0, 8).Select(_ => NewInstance(Limit)).ToList();
        var granted = new int[30];

        // Each instance walks the slots in order, as its pump does; all eight race on every slot.
        await Task.WhenAll(instances.Select((store, i) => Task.Run(async () =>
        {
            for (var offset = 0; offset < granted.Length; offset++)
            {
                var got = await store.TakeAsync(Number, 5000 + offset, 3 + (i % 4), Ct);
                Interlocked.Add(ref granted[offset], got);
            }
        })));

        for (var first = 0; first + 11 <= granted.Length; first++)
        {
            Assert.Equal(Limit, granted.Skip(first).Take(11).Sum());
        }
    }

    [Fact]
    public async Task An_unreachable_table_is_unavailable_and_the_message_holds_no_secret()
    {
        var store = NewInstance(endpoint: new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}"));

        var error = await Assert.ThrowsAsync<ThroughputStoreUnavailableException>(async () => await store.TakeAsync(Number, 1000, 5, Ct));

        Assert.Contains(_table, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-secret-key-must-not-leak", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_table_is_unavailable()
    {
        var client = server.CreateClient();
        using var store = new DynamoDbThroughputStore(client, "no-such-table", 80, ownsClient: true);

        var error = await Assert.ThrowsAsync<ThroughputStoreUnavailableException>(async () => await store.TakeAsync(Number, 1000, 5, Ct));

        Assert.Contains("ResourceNotFoundException", error.Message, StringComparison.Ordinal);
    }
}
