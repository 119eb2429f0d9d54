using WhatsAppChannel.Observability;

namespace WhatsAppChannel.Planning;

/// <summary>A message ready to go: the request body is final, only the send remains.</summary>
internal sealed record PlannedSend(string EndpointId, string To, byte[] Body, string IdempotencyKey)
{
    public string MaskedAddress { get; } = PhoneMask.Mask(To);

    /// <summary>The campaign or journey the send belongs to; the ledger keeps it for the funnel report.</summary>
    public string? CampaignId { get; init; }

    /// <summary>A MARKETING template sent through Meta's Marketing Messages API rather than <c>/messages</c>.</summary>
    public bool ViaMarketingMessages { get; init; }
}
