using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>The in-memory ledger, with a fault injected into one claim or into every completion.</summary>
internal sealed class ScriptedLedger : IIdempotencyLedger
{
    private readonly InMemoryLedger _inner = new(TimeSpan.FromMinutes(2), TimeSpan.FromDays(7), TimeProvider.System);
    private int _claims;

    /// <summary>Thrown by the claim with this 1-based number, if set.</summary>
    public (int Claim, Exception Fault)? ClaimFault { get; init; }

    /// <summary>Thrown by every completion, if set.</summary>
    public Exception? CompleteFault { get; init; }

    public Task<LedgerClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        var claim = Interlocked.Increment(ref _claims);
        if (ClaimFault is { } fault && fault.Claim == claim)
        {
            return Task.FromException<LedgerClaim>(fault.Fault);
        }

        return _inner.TryClaimAsync(key, cancellationToken);
    }

    public Task CompleteAsync(string key, LedgerOutcome outcome, CancellationToken cancellationToken) =>
        CompleteFault is { } fault ? Task.FromException(fault) : _inner.CompleteAsync(key, outcome, cancellationToken);

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) => _inner.ReleaseAsync(key, cancellationToken);
}
