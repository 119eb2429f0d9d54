using System.Collections.Concurrent;
using System.Diagnostics;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>The running totals of a campaign, counted as each endpoint's outcome is decided (from several batches at once).</summary>
internal sealed class CampaignTally(long rows)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private long _sent;
    private long _skipped;
    private long _failed;

    public long Rows { get; } = rows;
    public long Sent => Interlocked.Read(ref _sent);
    public long Skipped => Interlocked.Read(ref _skipped);
    public long Failed => Interlocked.Read(ref _failed);
    public long Done => Sent + Skipped + Failed;
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Messages sent per second since the start.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Sent / Elapsed.TotalSeconds : 0;

    /// <summary>Rows still to go at the pace so far; null before the first row is done.</summary>
    public TimeSpan? Remaining => Done == 0 ? null : TimeSpan.FromSeconds((Rows - Done) * Elapsed.TotalSeconds / Done);

    /// <summary>Skipped and failed rows by reason (already-sent, opted-out, a Graph error code, ...).</summary>
    public IReadOnlyDictionary<string, int> Reasons => _reasons;

    public void Count(EndpointResult result)
    {
        switch (result.Status)
        {
            case EndpointStatus.Sent:
                Interlocked.Increment(ref _sent);
                return;
            case EndpointStatus.Skipped:
                Interlocked.Increment(ref _skipped);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }

        _reasons.AddOrUpdate(result.ErrorCode ?? result.Reason ?? "unknown", 1, (_, n) => n + 1);
    }

    public void Stop() => _clock.Stop();
}
