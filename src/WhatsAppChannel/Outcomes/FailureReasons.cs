namespace WhatsAppChannel.Outcomes;

/// <summary>The <c>whatsapp_reason</c> values of failed endpoints that are ours rather than Meta's.</summary>
public static class FailureReasons
{
    public const string DeadlineExceeded = "deadline-exceeded";
    public const string LedgerUnavailable = "ledger-unavailable";
    public const string TokenUnavailable = "token-unavailable";
    public const string InternalError = "internal-error";

    /// <summary>An Amazon Connect profile with none of the phone number fields.</summary>
    public const string NoPhoneNumber = "no-phone-number";

    /// <summary>An Amazon Connect item whose <c>CustomerData</c> is not a JSON object.</summary>
    public const string InvalidCustomerData = "invalid-customer-data";

    /// <summary>The campaign's Data is not in the event and could not be read where it is kept (followed by why).</summary>
    public const string CampaignDataUnavailable = "campaign-data-unavailable";
}
