namespace WhatsAppChannel.Outcomes;

/// <summary>The <c>whatsapp_reason</c> values of skipped endpoints that planning decides.</summary>
internal static class SkipReasons
{
    public const string OptedOut = "opted-out";
    public const string Inactive = "inactive";
    public const string InvalidAddress = "invalid-address";
    public const string AmbiguousAddress = "ambiguous-address";
    public const string InvalidParameter = "invalid-parameter";
    public const string DuplicateAddress = "duplicate-address";
    public const string InvalidEndpoint = "invalid-endpoint";
    public const string AlreadySent = "already-sent";
    public const string InProgress = "in-progress";

    /// <summary>A MARKETING template to a US number: Meta has not delivered those since 2025-04-01.</summary>
    public const string MarketingBlockedUs = "marketing-blocked-us";

    /// <summary>The number replied with an opt-out keyword on WhatsApp (recorded by the webhook).</summary>
    public const string OptedOutWhatsApp = "opted-out-whatsapp";
}
