using WhatsAppChannel.Errors;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Hosting;

/// <summary>The funnel per campaign from the ledger the configuration names (the harness's <c>report</c> command).</summary>
internal static class CampaignReport
{
    /// <exception cref="ConfigurationException">The ledger settings are malformed.</exception>
    /// <exception cref="LedgerUnavailableException">The ledger cannot be read.</exception>
    public static async Task<IReadOnlyList<CampaignFunnel>> ReadAsync(FunctionConfiguration configuration, string? campaignId, CancellationToken cancellationToken)
    {
        var ledger = IdempotencyLedgerFactory.CreateStatusLedger(configuration, TimeProvider.System);
        try
        {
            return await ledger.ReadFunnelsAsync(campaignId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (ledger as IDisposable)?.Dispose();
        }
    }
}
