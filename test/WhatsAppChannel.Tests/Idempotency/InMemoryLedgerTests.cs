using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.Idempotency;

/// <summary>The in-memory ledger: the shared contract (every "instance" is this one object, as every
/// invocation on one Lambda instance shares it), then what only it does.</summary>
public sealed class InMemoryLedgerTests : LedgerContractTests
{
    private readonly InMemoryLedger _ledger;

    public InMemoryLedgerTests() => _ledger = new InMemoryLedger(ClaimLifetime, RecordLifetime, Clock);

    private protected override IIdempotencyLedger NewInstance() => _ledger;

    [Fact]
    public async Task Releasing_an_unknown_key_leaves_it_free_to_claim()
    {
        await _ledger.ReleaseAsync("never-claimed", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("never-claimed", Ct)).Status);
    }

    [Fact]
    public async Task A_sent_record_past_its_lifetime_no_longer_blocks_a_send()
    {
        await _ledger.TryClaimAsync("old", Ct);
        await _ledger.CompleteAsync("old", new LedgerOutcome("wamid.old"), Ct);
        Clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("new", Ct)).Status);
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
    public async Task A_canceled_call_stores_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _ledger.TryClaimAsync("k", canceled.Token));
        Assert.Equal(LedgerClaimStatus.Claimed, (await _ledger.TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public void Lifetimes_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryLedger(TimeSpan.Zero, RecordLifetime, Clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryLedger(ClaimLifetime, TimeSpan.FromSeconds(-1), Clock));
    }

    [Fact]
    public void Factory_gives_the_in_memory_ledger_without_a_table()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1" };

        Assert.IsType<InMemoryLedger>(IdempotencyLedgerFactory.Create(configuration, Clock));
    }

    [Fact]
    public async Task Factory_applies_the_configured_claim_lifetime()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1", IdempotencyClaimLifetime = TimeSpan.FromSeconds(5) };
        var ledger = IdempotencyLedgerFactory.Create(configuration, Clock);
        await ledger.TryClaimAsync("k", Ct);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("k", Ct)).Status);
    }
}
