namespace WhatsAppChannel.Idempotency;

/// <summary>What a claimed send ended with. Only sent messages are remembered as done.</summary>
internal sealed record LedgerOutcome(string MessageId);
