namespace WhatsAppChannel.Idempotency;

/// <summary>What became of one campaign's messages. A message counts once, in its furthest state, and every
/// later state implies the earlier ones: <see cref="Delivered"/> includes read messages (Meta may report
/// read without delivered).</summary>
/// <param name="CampaignId">The campaign or journey id the sends were recorded with.</param>
/// <param name="Sent">Messages WhatsApp accepted.</param>
/// <param name="Delivered">Messages delivered or read.</param>
/// <param name="Read">Messages read.</param>
/// <param name="Failed">Messages that failed after acceptance.</param>
/// <param name="FailedByCode">Failed messages per Meta error code ("unknown" when the status had none).</param>
/// <param name="OptedOut">Recipients of the campaign who have opted out of WhatsApp messages.</param>
internal sealed record CampaignFunnel(
    string CampaignId,
    int Sent,
    int Delivered,
    int Read,
    int Failed,
    IReadOnlyDictionary<string, int> FailedByCode,
    int OptedOut);
