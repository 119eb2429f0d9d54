using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Sending;

/// <summary>Takes out the sends to numbers that replied STOP (recorded by the webhook), whatever the campaign says:
/// one batch read of the ledger per event.</summary>
internal sealed class OptOutFilter(IDeliveryStatusLedger ledger, JsonLog log, TimeProvider time)
{
    /// <summary>The read always gets this long, so a past deadline still has its endpoints answered in time.</summary>
    private static readonly TimeSpan MinimumRead = TimeSpan.FromSeconds(2);

    /// <returns>The sends still to go, and the results already decided: skipped <c>opted-out-whatsapp</c>, or, when the
    /// ledger cannot be read, every send failed <c>ledger-unavailable</c> (consent unknown is not consent).</returns>
    /// <param name="startBy">The last moment a send may start: the read may take until then, as nothing goes out before it.</param>
    public async Task<(IReadOnlyList<PlannedSend> Sends, IReadOnlyList<EndpointResult> Decided)> ApplyAsync(IReadOnlyList<PlannedSend> sends, DateTimeOffset startBy)
    {
        if (sends.Count == 0)
        {
            return (sends, []);
        }

        var hashes = sends.Select(s => NumberHash.Of(s.To)).ToArray();
        IReadOnlySet<string> optedOut;
        try
        {
            // Bounded on its own, not by the host: a past deadline still gets every endpoint answered. A slow first
            // read (a cold process) may use the time sends would have had, rather than fail every send at 2 s.
            var left = startBy - time.GetUtcNow();
            using var timeout = new CancellationTokenSource(left > MinimumRead ? left : MinimumRead, time);
            optedOut = await ledger.FindOptedOutAsync(hashes, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LedgerUnavailableException or OperationCanceledException)
        {
            log.Write(LogLevel.Warning, "ledger unavailable: opt-outs unknown, not sending", w => w.WriteString("error", ex.Message));
            return ([], [.. sends.Select(s => Decided(s, EndpointStatus.Failed, FailureReasons.LedgerUnavailable))]);
        }

        if (optedOut.Count == 0)
        {
            return (sends, []);
        }

        var remaining = new List<PlannedSend>(sends.Count);
        var decided = new List<EndpointResult>();
        for (var i = 0; i < sends.Count; i++)
        {
            if (optedOut.Contains(hashes[i]))
            {
                decided.Add(Decided(sends[i], EndpointStatus.Skipped, SkipReasons.OptedOutWhatsApp));
            }
            else
            {
                remaining.Add(sends[i]);
            }
        }

        return (remaining, decided);
    }

    private static EndpointResult Decided(PlannedSend send, EndpointStatus status, string reason) =>
        new(send.EndpointId, status) { MaskedAddress = send.MaskedAddress, Reason = reason };
}
