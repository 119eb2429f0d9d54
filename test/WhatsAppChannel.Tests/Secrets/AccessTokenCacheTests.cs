using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.Secrets;

public sealed class AccessTokenCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Within_the_lifetime_the_token_is_fetched_once()
    {
        var source = new ScriptedTokenSource().Then("t1").Then("t2");
        var provider = new AccessTokenCache(source, Lifetime, _clock);

        Assert.Equal("t1", await provider.GetTokenAsync(CancellationToken.None));
        _clock.Advance(Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal("t1", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(1, source.Fetches);
    }

    [Fact]
    public async Task After_the_lifetime_the_token_is_fetched_again()
    {
        var source = new ScriptedTokenSource().Then("t1").Then("t2");
        var provider = new AccessTokenCache(source, Lifetime, _clock);

        Assert.Equal("t1", await provider.GetTokenAsync(CancellationToken.None));
        _clock.Advance(Lifetime);
        Assert.Equal("t2", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal("t2", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task A_zero_lifetime_fetches_on_every_call()
    {
        var source = new ScriptedTokenSource().Then("t1").Then("t2").Then("t3");
        var provider = new AccessTokenCache(source, TimeSpan.Zero, _clock);

        Assert.Equal("t1", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal("t2", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task Sixteen_concurrent_callers_share_one_fetch()
    {
        var source = new ScriptedTokenSource { HoldFetches = true }.Then("t1").Then("t2");
        var provider = new AccessTokenCache(source, Lifetime, _clock);
        var joined = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var pending = provider.GetTokenAsync(CancellationToken.None);
            Interlocked.Increment(ref joined);
            return await pending;
        })).ToArray();

        start.SetResult();
        // Release the fetch only once every caller is waiting on it.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref joined) == 16, TimeSpan.FromSeconds(30)));
        source.Release.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.All(tokens, token => Assert.Equal("t1", token));
        Assert.Equal(1, source.Fetches);
    }

    [Fact]
    public async Task Invalidating_the_cached_token_makes_the_next_call_pick_up_the_rotated_one()
    {
        var source = new ScriptedTokenSource().Then("old").Then("rotated");
        var provider = new AccessTokenCache(source, Lifetime, _clock);
        Assert.Equal("old", await provider.GetTokenAsync(CancellationToken.None));

        provider.Invalidate("old");

        Assert.Equal("rotated", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task Invalidating_a_token_other_than_the_cached_one_keeps_the_cache()
    {
        var source = new ScriptedTokenSource().Then("old").Then("rotated").Then("third");
        var provider = new AccessTokenCache(source, Lifetime, _clock);
        Assert.Equal("old", await provider.GetTokenAsync(CancellationToken.None));
        provider.Invalidate("old");
        Assert.Equal("rotated", await provider.GetTokenAsync(CancellationToken.None));

        // A send that failed with the old token reports late: the rotated token must stay.
        provider.Invalidate("old");

        Assert.Equal("rotated", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task Many_sends_rejecting_the_same_token_cause_one_refetch()
    {
        var source = new ScriptedTokenSource().Then("old").Then("rotated").Then("third");
        var provider = new AccessTokenCache(source, Lifetime, _clock);
        Assert.Equal("old", await provider.GetTokenAsync(CancellationToken.None));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            provider.Invalidate("old");
            return await provider.GetTokenAsync(CancellationToken.None);
        })));

        Assert.Equal("rotated", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task A_failed_fetch_is_not_cached()
    {
        var source = new ScriptedTokenSource().ThenFail("Secrets Manager is down.").Then("t1");
        var provider = new AccessTokenCache(source, Lifetime, _clock);

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());
        Assert.Equal("Secrets Manager is down.", error.Message);

        Assert.Equal("t1", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, source.Fetches);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_fail_the_others_sharing_the_fetch()
    {
        var source = new ScriptedTokenSource { HoldFetches = true }.Then("t1");
        var provider = new AccessTokenCache(source, Lifetime, _clock);
        using var impatient = new CancellationTokenSource();

        var gaveUp = provider.GetTokenAsync(impatient.Token).AsTask();
        var patient = provider.GetTokenAsync(CancellationToken.None).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        source.Release.SetResult();

        Assert.Equal("t1", await patient);
        Assert.Equal(1, source.Fetches);
    }
}
