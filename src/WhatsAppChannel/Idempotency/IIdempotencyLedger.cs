namespace WhatsAppChannel.Idempotency;

/// <summary>Remembers which endpoint sends were claimed and completed, so nothing is sent twice.</summary>
internal interface IIdempotencyLedger
{
    /// <summary>Claims <paramref name="key"/> for one send (a conditional create).</summary>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached; the caller must not send.</exception>
    Task<LedgerClaim> TryClaimAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a claimed send.</summary>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached.</exception>
    Task CompleteAsync(string key, LedgerOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Gives the claim back after a send that certainly did not reach WhatsApp, so a later run may retry.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
