namespace WhatsAppChannel.Idempotency;

/// <summary>What a claimed send ended with. Only sent messages are remembered as done.</summary>
internal sealed record LedgerOutcome(string MessageId)
{
    /// <summary>The campaign or journey the send belongs to, kept for the funnel report.</summary>
    public string? CampaignId { get; init; }

    /// <summary>The recipient as <see cref="NumberHash"/>, so the report can count opted-out recipients.</summary>
    public string? RecipientHash { get; init; }
}
