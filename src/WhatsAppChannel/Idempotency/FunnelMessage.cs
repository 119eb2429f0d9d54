namespace WhatsAppChannel.Idempotency;

/// <summary>One recorded message as the funnel counts it; both ledgers reduce their records to these.</summary>
internal sealed record FunnelMessage(string CampaignId, DeliveryState State, string? ErrorCode, string? RecipientHash)
{
    public static IReadOnlyList<CampaignFunnel> Count(IEnumerable<FunnelMessage> messages, Func<string, bool> isOptedOut) =>
        [.. messages
            .GroupBy(m => m.CampaignId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CampaignFunnel(
                g.Key,
                Sent: g.Count(),
                Delivered: g.Count(m => m.State is DeliveryState.Delivered or DeliveryState.Read),
                Read: g.Count(m => m.State == DeliveryState.Read),
                Failed: g.Count(m => m.State == DeliveryState.Failed),
                FailedByCode: g.Where(m => m.State == DeliveryState.Failed)
                    .GroupBy(m => m.ErrorCode ?? "unknown", StringComparer.Ordinal)
                    .ToDictionary(c => c.Key, c => c.Count(), StringComparer.Ordinal),
                OptedOut: g.Select(m => m.RecipientHash).OfType<string>().Distinct(StringComparer.Ordinal).Count(isOptedOut)))];
}
