using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.Idempotency;

public sealed class InMemoryLedgerTests
{
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RecordLifetime = TimeSpan.FromDays(7);

    private readonly FakeTimeProvider _clock = new();
    private readonly InMemoryLedger _ledger;

    public InMemoryLedgerTests() => _ledger = new InMemoryLedger(ClaimLifetime, RecordLifetime, _clock);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_new_key_is_claimed()
    {
        var claim = await _ledger.TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        Assert.Null(claim.MessageId);
    }

    [Fact]
    public async Task A_completed_key_is_already_sent_with_its_message_id()
    {
        await _ledger.TryClaimAsync("k", Ct);
        await _ledger.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);

        var claim = await _ledger.TryClaimAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.1"), claim);
    }

    [Fact]
    public async Task A_completed_key_stays_sent_after_the_claim_lifetime()
    {
        await _ledger.TryClaimAsync("k", Ct);
        await _ledger.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);
        _clock.Advance(ClaimLifetime * 10);

        Assert.Equal(LedgerClaimStatus.AlreadySent, (await _ledger.TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_live_claim_is_in_progress()
    {
        await _ledger.TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime - TimeSpan.FromSeconds(1));

        var claim = await _ledger.TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, claim.Status);
    }

    [Fact]
    public async Task An_expired_claim_is_taken_over_once()
    {
        await _ledger.TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime);

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("k", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.InProgress, (await _ledger.TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again()
    {
        await _ledger.TryClaimAsync("k", Ct);
        await _ledger.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_completed_key_does_not_allow_a_second_send()
    {
        await _ledger.TryClaimAsync("k", Ct);
        await _ledger.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);
        await _ledger.ReleaseAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.1"), await _ledger.TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task Releasing_an_unknown_key_does_nothing()
    {
        await _ledger.ReleaseAsync("never-claimed", Ct);

        Assert.Equal(0, _ledger.Count);
    }

    [Fact]
    public async Task Keys_are_independent()
    {
        await _ledger.TryClaimAsync("a", Ct);
        await _ledger.CompleteAsync("a", new LedgerOutcome("wamid.a"), Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("b", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("A", Ct)).Status);
    }

    [Fact]
    public async Task Records_past_their_lifetime_are_forgotten_and_swept()
    {
        await _ledger.TryClaimAsync("old", Ct);
        await _ledger.CompleteAsync("old", new LedgerOutcome("wamid.old"), Ct);
        _clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("new", Ct)).Status);
        Assert.Equal(1, _ledger.Count);
        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("old", Ct)).Status);
    }

    [Fact]
    public async Task Exactly_one_of_100_parallel_claims_wins()
    {
        using var start = new ManualResetEventSlim();
        var claims = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait(Ct);
                return await _ledger.TryClaimAsync("k", Ct);
            }, Ct))
            .ToArray();
        start.Set();

        var results = await Task.WhenAll(claims);

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
        Assert.Equal(99, results.Count(r => r.Status == LedgerClaimStatus.InProgress));
    }

    [Fact]
    public async Task Exactly_one_of_parallel_takeovers_of_an_expired_claim_wins()
    {
        await _ledger.TryClaimAsync("k", Ct);
        _clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => _ledger.TryClaimAsync("k", Ct), Ct)));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
    }

    [Fact]
    public async Task A_cancelled_call_throws_and_claims_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _ledger.TryClaimAsync("k", cancelled.Token));
        Assert.Equal(0, _ledger.Count);
    }

    [Fact]
    public void Lifetimes_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryLedger(TimeSpan.Zero, RecordLifetime, _clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryLedger(ClaimLifetime, TimeSpan.FromSeconds(-1), _clock));
    }

    [Fact]
    public void Factory_gives_the_in_memory_ledger_without_a_table()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1" };

        Assert.IsType<InMemoryLedger>(IdempotencyLedgerFactory.Create(configuration, _clock));
    }

    [Fact]
    public async Task Factory_applies_the_configured_claim_lifetime()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1", IdempotencyClaimLifetime = TimeSpan.FromSeconds(5) };
        var ledger = IdempotencyLedgerFactory.Create(configuration, _clock);
        await ledger.TryClaimAsync("k", Ct);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("k", Ct)).Status);
    }
}
