namespace WhatsAppChannel.Outcomes;

/// <summary>The <c>whatsapp_reason</c> values of failed endpoints that are ours rather than Meta's.</summary>
internal static class FailureReasons
{
    public const string DeadlineExceeded = "deadline-exceeded";
    public const string LedgerUnavailable = "ledger-unavailable";
    public const string TokenUnavailable = "token-unavailable";
    public const string InternalError = "internal-error";
}
