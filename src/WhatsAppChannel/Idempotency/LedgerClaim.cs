namespace WhatsAppChannel.Idempotency;

/// <summary>The answer to a claim: <see cref="LedgerClaimStatus.Claimed"/> means "go ahead and send".</summary>
internal sealed record LedgerClaim(LedgerClaimStatus Status, string? MessageId = null)
{
    public static LedgerClaim Claimed { get; } = new(LedgerClaimStatus.Claimed);
}
