namespace WhatsAppChannel.Idempotency;

/// <summary>What happened after a send, kept beside the send records: delivery statuses by message id,
/// and the numbers that opted out. Numbers appear only as <see cref="NumberHash"/> values.</summary>
internal interface IDeliveryStatusLedger
{
    /// <summary>Records a status against its message: the furthest state wins, a failure is final.</summary>
    /// <returns>True when the message's state moved forward; false for a duplicate or an out-of-order status.</returns>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached.</exception>
    Task<bool> RecordStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken);

    /// <summary>Records (<paramref name="optedOut"/> true) or lifts an opt-out of the number with this hash.</summary>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached.</exception>
    Task SetOptOutAsync(string numberHash, bool optedOut, CancellationToken cancellationToken);

    /// <summary>The hashes among <paramref name="numberHashes"/> that are opted out, in one read.</summary>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached.</exception>
    Task<IReadOnlySet<string>> FindOptedOutAsync(IReadOnlyCollection<string> numberHashes, CancellationToken cancellationToken);

    /// <summary>The funnel of every campaign with recorded messages, or of <paramref name="campaignId"/> only.</summary>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be reached.</exception>
    Task<IReadOnlyList<CampaignFunnel>> ReadFunnelsAsync(string? campaignId, CancellationToken cancellationToken);
}
