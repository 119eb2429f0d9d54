using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.Idempotency;

public sealed class InMemoryLedgerCapacityTests
{
    [Fact]
    public async Task A_warm_instance_keeps_the_newest_records_and_forgets_the_oldest_beyond_the_cap()
    {
        var ledger = new InMemoryLedger(TimeSpan.FromMinutes(2), TimeSpan.FromDays(7), TimeProvider.System);
        var total = InMemoryLedger.MaxRecords + 100;
        for (var i = 0; i < total; i++)
        {
            Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync($"k{i}", CancellationToken.None)).Status);
            await ledger.CompleteAsync($"k{i}", new LedgerOutcome($"wamid.{i}"), CancellationToken.None);
        }

        // Exactly the newest MaxRecords are kept: k100 (the oldest kept) is still known, k99 (the newest dropped) is not.
        var newest = await ledger.TryClaimAsync($"k{total - 1}", CancellationToken.None);
        Assert.Equal(LedgerClaimStatus.AlreadySent, newest.Status);
        Assert.Equal($"wamid.{total - 1}", newest.MessageId);
        Assert.Equal(LedgerClaimStatus.AlreadySent, (await ledger.TryClaimAsync("k100", CancellationToken.None)).Status);
        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("k99", CancellationToken.None)).Status);
        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("k0", CancellationToken.None)).Status);
    }
}
