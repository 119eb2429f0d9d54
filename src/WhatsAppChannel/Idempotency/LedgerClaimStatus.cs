namespace WhatsAppChannel.Idempotency;

internal enum LedgerClaimStatus
{
    /// <summary>This run owns the key and may send.</summary>
    Claimed,

    /// <summary>An earlier run sent it; <see cref="LedgerClaim.MessageId"/> holds its message id.</summary>
    AlreadySent,

    /// <summary>Another run claimed it and its claim has not expired.</summary>
    InProgress,
}
