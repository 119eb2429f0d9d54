using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Planning;

/// <summary>What a template's category changes about its sends: a MARKETING template is not sent to US numbers (Meta has
/// refused those since 2025-04-01) and, when asked, goes through the Marketing Messages API.</summary>
internal static class MarketingRoute
{
    public const string MarketingCategory = "MARKETING";

    /// <param name="category">The template's category from the listing; null when it could not be read (nothing changes).</param>
    public static (IReadOnlyList<PlannedSend> Sends, IReadOnlyList<EndpointResult> Blocked) Apply(
        IReadOnlyList<PlannedSend> sends, string? category, bool viaMarketingMessages)
    {
        ArgumentNullException.ThrowIfNull(sends);
        if (!string.Equals(category, MarketingCategory, StringComparison.OrdinalIgnoreCase))
        {
            return (sends, []);
        }

        var kept = new List<PlannedSend>(sends.Count);
        var blocked = new List<EndpointResult>();
        foreach (var send in sends)
        {
            if (PhoneNumberNormalizer.IsUnitedStates(send.To))
            {
                blocked.Add(new EndpointResult(send.EndpointId, EndpointStatus.Skipped)
                {
                    Reason = SkipReasons.MarketingBlockedUs,
                    MaskedAddress = send.MaskedAddress,
                });
            }
            else
            {
                kept.Add(viaMarketingMessages ? send with { ViaMarketingMessages = true } : send);
            }
        }

        return (kept, blocked);
    }
}
