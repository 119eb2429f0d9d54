namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger could not be read or written; sends fail closed.</summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
