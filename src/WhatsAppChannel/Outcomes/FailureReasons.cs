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

    /// <summary>An Amazon Connect profile with none of the phone number fields.</summary>
    public const string NoPhoneNumber = "no-phone-number";

    /// <summary>An Amazon Connect item whose <c>CustomerData</c> is not a JSON object.</summary>
    public const string InvalidCustomerData = "invalid-customer-data";

    /// <summary>Meta's 131049: the user has received enough marketing messages for now. Permanent for the invocation:
    /// resending cannot help; a later campaign may reach them.</summary>
    public const string MarketingUserLimit = "marketing-user-limit (131049, permanent)";

    /// <summary>Meta's 130472: the user is in Meta's marketing message experiment's hold-out group. Permanent for the invocation.</summary>
    public const string MarketingExperiment = "marketing-experiment (130472, permanent)";

    /// <summary>The reason named for a Meta error code that has one; null for the others (Meta's own message stands).</summary>
    public static string? ForMetaCode(string? code) => code switch
    {
        "131049" => MarketingUserLimit,
        "130472" => MarketingExperiment,
        _ => null,
    };

    /// <summary>The campaign's Data is not in the event and could not be read where it is kept (followed by why).</summary>
    public const string CampaignDataUnavailable = "campaign-data-unavailable";
}
