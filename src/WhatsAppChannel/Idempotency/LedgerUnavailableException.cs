namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger could not be read or written; sends fail closed.</summary>
internal sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
