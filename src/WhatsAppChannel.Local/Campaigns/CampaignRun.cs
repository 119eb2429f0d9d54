using System.Collections.Concurrent;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>Sends an audience in batches of 50 through the handler, a few batches in flight at once, and records every
/// row's outcome as its batch finishes. Stopping ends the reading; the batches in flight always finish, so each of
/// their sends is recorded in the ledger and the results file.</summary>
internal sealed class CampaignRun(
    ChannelFunction function,
    CampaignEventWriter events,
    ResultsFile results,
    CampaignTally tally,
    TimeSpan batchTimeout,
    int parallelBatches)
{
    private Exception? _fatal;
    private int _batches;

    /// <summary>Why the campaign could not go on (an unusable event, no token); null when it did.</summary>
    public Exception? Fatal => Volatile.Read(ref _fatal);

    public async Task SendAsync(IAsyncEnumerable<AudienceRow> rows, AudienceScreen screen, CancellationToken stop, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(parallelBatches);
        var inFlight = new List<Task>();
        var batch = new List<AudienceEntry>();
        var sendable = 0;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var entry = screen.Admit(row);
                batch.Add(entry);
                if (entry.DuplicateOfLine is null && ++sendable == CampaignEventWriter.MaxEndpointsPerEvent)
                {
                    await slots.WaitAsync(stop).ConfigureAwait(false);
                    if (Fatal is not null)
                    {
                        break;
                    }

                    await ForgetFinishedAsync(inFlight).ConfigureAwait(false);
                    inFlight.Add(RunBatchAsync(batch, slots, cancellationToken));
                    (batch, sendable) = ([], 0);
                }
            }

            if (batch.Count > 0 && Fatal is null)
            {
                await slots.WaitAsync(stop).ConfigureAwait(false);
                inFlight.Add(RunBatchAsync(batch, slots, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: read no further; what is in flight finishes below.
        }
        catch (AudienceException ex)
        {
            Interlocked.CompareExchange(ref _fatal, ex, null);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Drops the batches that are done (surfacing a failure of one), so a long audience holds no list of them.</summary>
    private static async Task ForgetFinishedAsync(List<Task> inFlight)
    {
        foreach (var finished in inFlight.Where(t => t.IsCompleted))
        {
            await finished.ConfigureAwait(false);
        }

        inFlight.RemoveAll(t => t.IsCompleted);
    }

    private async Task RunBatchAsync(List<AudienceEntry> batch, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var collected = new ConcurrentDictionary<string, EndpointResult>(StringComparer.Ordinal);
            var sendable = batch.Where(e => e.DuplicateOfLine is null).ToList();
            if (sendable.Count > 0)
            {
                var payload = events.Write(sendable);
                var context = new InvocationContext($"campaign-batch-{Interlocked.Increment(ref _batches)}", DateTimeOffset.UtcNow + batchTimeout)
                {
                    Progress = new Recorder(collected, tally),
                };
                await using var response = await function.HandleAsync(
                    new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true), context, cancellationToken).ConfigureAwait(false);
            }

            var outcomes = new List<(AudienceEntry, EndpointResult)>(batch.Count);
            foreach (var entry in batch)
            {
                outcomes.Add((entry, entry.DuplicateOfLine is null ? collected[entry.EndpointId] : Duplicate(entry)));
            }

            await results.AppendAsync(outcomes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything else (a full disk for the results, a ledger gone) ends the campaign the same way, and only
            // after the other batches in flight have finished and recorded their sends.
            Interlocked.CompareExchange(ref _fatal, ex, null);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>A number seen on an earlier row gets no second message, in this batch or any other.</summary>
    private EndpointResult Duplicate(AudienceEntry entry)
    {
        var result = new EndpointResult(entry.EndpointId, EndpointStatus.Skipped)
        {
            MaskedAddress = PhoneMask.Mask(entry.Row.Address),
            Reason = SkipReasons.DuplicateAddress,
        };
        tally.Count(result);
        return result;
    }

    private sealed class Recorder(ConcurrentDictionary<string, EndpointResult> results, CampaignTally tally) : IProgress<EndpointResult>
    {
        public void Report(EndpointResult value)
        {
            results[value.EndpointId] = value;
            tally.Count(value);
        }
    }
}
