using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Hosting;

/// <summary>Parts of <see cref="WebhookFunction"/> that tests and the local harness replace; null = the production part.</summary>
internal sealed record WebhookFunctionOptions
{
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The ledger statuses and opt-outs go to; the harness shares one with its sender.</summary>
    public IDeliveryStatusLedger? Ledger { get; init; }

    /// <summary>Where the Meta app secret comes from.</summary>
    public IAccessTokenCache? AppSecret { get; init; }
}
