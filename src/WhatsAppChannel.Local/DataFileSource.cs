using WhatsAppChannel.CampaignData;

namespace WhatsAppChannel.Local;

/// <summary><c>invoke --data FILE</c>: the file stands in for Parameter Store, whatever the campaign's name.</summary>
internal sealed class DataFileSource(string path) : ICampaignDataSource
{
    public async Task<StoredCampaignData> GetAsync(string? campaignName, CancellationToken cancellationToken)
    {
        try
        {
            return new StoredCampaignData(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CampaignDataUnavailableException($"cannot read {path}: {ex.Message}", ex);
        }
    }
}
