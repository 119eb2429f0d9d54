using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class InProcessThroughputStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_batch_of_fifty_is_granted_at_once_under_a_limit_of_eighty()
    {
        var store = new InProcessThroughputStore(80);

        Assert.Equal(50, await store.TakeAsync("111", 1000, 50, Ct));
        Assert.Equal(30, await store.TakeAsync("111", 1003, 50, Ct));
        Assert.Equal(0, await store.TakeAsync("111", 1009, 1, Ct));
        Assert.Equal(50, await store.TakeAsync("111", 1010, 50, Ct));
    }

    [Fact]
    public async Task Each_number_has_its_own_limit()
    {
        var store = new InProcessThroughputStore(80);
        await store.TakeAsync("111", 1000, 80, Ct);

        Assert.Equal(80, await store.TakeAsync("222", 1000, 80, Ct));
        Assert.Equal(0, await store.TakeAsync("111", 1000, 1, Ct));
    }

    [Fact]
    public async Task Concurrent_takes_never_pass_the_limit()
    {
        var store = new InProcessThroughputStore(80);

        var grants = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await store.TakeAsync("111", 1000, 3, Ct))));

        Assert.Equal(80, grants.Sum());
    }
}
