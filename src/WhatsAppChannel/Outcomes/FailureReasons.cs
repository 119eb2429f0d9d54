namespace WhatsAppChannel.Outcomes;

/// <summary>The <c>whatsapp_reason</c> values of failed endpoints that are ours rather than Meta's.</summary>
internal static class FailureReasons
{
    /// <summary>Out of time before the send could start: nothing went out, and a replay may send it.</summary>
    public const string DeadlineExceeded = "deadline-exceeded";

    /// <summary>The request went out but its answer was lost (timeout, cut connection, a gateway's error page): WhatsApp
    /// may have the message. It is not resent, and the ledger keeps its claim so a replay does not resend it either.</summary>
    public const string DeliveryUnknown = "delivery-unknown";
    public const string LedgerUnavailable = "ledger-unavailable";
    public const string TokenUnavailable = "token-unavailable";
    public const string InternalError = "internal-error";
}
