using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Idempotency;

/// <summary>What every ledger promises (claims, completion, expiry, release), run against each implementation.
/// <see cref="NewInstance"/> stands for another invocation: another function instance or process where the
/// ledger is shared, the same object where it is not.</summary>
public abstract class LedgerContractTests
{
    protected static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(120);
    protected static readonly TimeSpan RecordLifetime = TimeSpan.FromDays(7);
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected FakeTimeProvider Clock { get; } = TestClock.Create();

    private protected abstract IIdempotencyLedger NewInstance();

    [Fact]
    public async Task A_new_key_is_claimed()
    {
        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        Assert.Null(claim.MessageId);
    }

    [Fact]
    public async Task A_completed_key_is_already_sent_with_its_message_id()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);

        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.first"), claim);
    }

    [Fact]
    public async Task A_completed_key_stays_sent_after_the_claim_lifetime()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);
        Clock.Advance(ClaimLifetime * 10);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.first"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_live_claim_is_in_progress()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime - TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task An_expired_claim_is_taken_over_once()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_record_past_its_lifetime_is_claimed_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.old"), Ct);
        Clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_completed_key_does_not_allow_a_second_send()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.1"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task Releasing_an_unknown_key_does_nothing()
    {
        var ledger = NewInstance();

        await ledger.ReleaseAsync("never-claimed", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("never-claimed", Ct)).Status);
    }

    [Fact]
    public async Task Keys_are_independent()
    {
        var first = NewInstance();
        await first.TryClaimAsync("a", Ct);
        await first.CompleteAsync("a", new LedgerOutcome("wamid.a"), Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("b", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("A", Ct)).Status);
    }

    [Fact]
    public async Task A_send_completed_after_its_claim_was_taken_over_still_counts_as_sent()
    {
        var slow = NewInstance();
        await slow.TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
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
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => instances[i % 2].TryClaimAsync("k", Ct))));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
    }

    [Fact]
    public async Task Two_instances_sending_a_batch_at_once_claim_each_key_once()
    {
        using var keyOf = new IdempotencyKeys("app", "camp", "0", "act", "t", "{}");
        var keys = Enumerable.Range(0, 50).Select(i => keyOf.For($"ep-{i}")).ToArray();
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(instances.SelectMany(ledger => keys.Select(async key => (key, claim: await ledger.TryClaimAsync(key, Ct)))));

        Assert.All(results.GroupBy(r => r.key), g => Assert.Single(g, r => r.claim.Status == LedgerClaimStatus.Claimed));
    }

    [Fact]
    public async Task A_cancelled_call_is_cancelled_and_claims_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewInstance().TryClaimAsync("k", cancelled.Token));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }
}

/// <summary>The contract of a ledger that several instances or processes share: a claim is released only by
/// the instance that holds it (its claim token), never by another one or after a takeover.</summary>
public abstract class SharedLedgerContractTests : LedgerContractTests
{
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
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);

        await slow.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }
}
