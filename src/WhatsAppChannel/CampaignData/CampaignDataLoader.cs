using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.CampaignData;

/// <summary>Completes an event that does not carry its Data (Amazon Connect's) with the Data kept for its campaign. Data that
/// cannot be had is not an invocation error: the event keeps no template and every item fails with the reason.</summary>
internal sealed class CampaignDataLoader(ICampaignDataSource? source, TimeProvider time)
{
    public async Task<CampaignEvent> CompleteAsync(CampaignEvent campaign, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (campaign.Template is not null)
        {
            return campaign;
        }

        if (source is null)
        {
            return campaign with
            {
                DataProblem = Problem("CONNECT_DATA_PARAMETER_PREFIX is not set, so the function has no Data for Amazon Connect campaigns"),
            };
        }

        var remaining = deadline - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return campaign with { DataProblem = Problem("no time was left to read the campaign's Data") };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining);
        StoredCampaignData data;
        try
        {
            data = await source.GetAsync(campaign.DataName, timeout.Token).ConfigureAwait(false);
        }
        catch (CampaignDataUnavailableException ex)
        {
            return campaign with { DataProblem = Problem(ex.Message) };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return campaign with { DataProblem = Problem("the campaign's Data could not be read before the invocation's deadline") };
        }

        try
        {
            return campaign with { Template = EventParser.ParseData(data.Text) };
        }
        catch (InvalidEventException ex)
        {
            return campaign with { DataProblem = Problem($"{data.Origin} is unusable: {ex.Message}") };
        }
    }

    private static string Problem(string why) => FailureReasons.CampaignDataUnavailable + ": " + why;
}
