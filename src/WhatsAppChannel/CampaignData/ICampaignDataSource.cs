namespace WhatsAppChannel.CampaignData;

/// <summary>Where a campaign's <c>Data</c> is kept when the event does not carry it (Amazon Connect campaign actions).</summary>
internal interface ICampaignDataSource
{
    /// <param name="campaignName">The campaign's name as the event gives it; null when it gives none.</param>
    /// <exception cref="CampaignDataUnavailableException">No Data can be read for the campaign; the message says why.</exception>
    Task<StoredCampaignData> GetAsync(string? campaignName, CancellationToken cancellationToken);
}
