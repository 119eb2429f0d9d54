namespace WhatsAppChannel.Sending;

/// <summary>
/// The one owner of the time sends may take. It answers three questions: may an attempt start now
/// (<see cref="CanStart"/>, until <see cref="StartBy"/>), may a failed attempt be retried after a wait
/// (<see cref="AllowsRetryAfter"/>), and how long may this request run (<see cref="LimitAttempt"/>, never past
/// <see cref="StopAt"/>). An answer that arrives between <see cref="StartBy"/> and <see cref="StopAt"/> is still
/// recorded: giving up on a request that was sent could hide a message WhatsApp accepted.
/// </summary>
internal sealed class SendDeadline : IDisposable
{
    /// <summary>No single request waits longer than this for its answer.</summary>
    private static readonly TimeSpan MaxAttempt = TimeSpan.FromSeconds(10);

    /// <summary>The last attempt starts at least this long (or a quarter of what is left) before the stop.</summary>
    private static readonly TimeSpan LastStartMargin = TimeSpan.FromSeconds(1);

    /// <summary>A claim is given up at least this long (or a tenth of its lifetime) before it expires, so a replay
    /// that takes the key over never sends while this run still could.</summary>
    private static readonly TimeSpan ClaimSafety = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _start;

    private SendDeadline(DateTimeOffset startBy, DateTimeOffset stopAt, TimeProvider time, CancellationToken outer)
    {
        StartBy = startBy;
        StopAt = stopAt;
        _time = time;
        var now = time.GetUtcNow();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        CancelAt(_stop, stopAt - now);
        _start = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        CancelAt(_start, startBy - now);
    }

    /// <summary>No attempt starts, and no retry waits, past this instant.</summary>
    public DateTimeOffset StartBy { get; }

    /// <summary>Requests still waiting for their answer are given up here.</summary>
    public DateTimeOffset StopAt { get; }

    /// <summary>Canceled at <see cref="StartBy"/>: ends the waits before a request (claim, token, rate limit, backoff).</summary>
    public CancellationToken StartToken => _start.Token;

    public bool CanStart => !_start.IsCancellationRequested && _time.GetUtcNow() < StartBy;

    /// <summary>The deadline of an invocation's sends.</summary>
    /// <param name="invocationDeadline">When the host must have the answer.</param>
    /// <param name="reserve">Kept after the sends to record their outcomes and answer; at most a quarter of the time left.</param>
    /// <param name="hostCancellation">The host giving up counts as the deadline: every send still gets its result.</param>
    public static SendDeadline Before(DateTimeOffset invocationDeadline, TimeSpan reserve, TimeProvider time, CancellationToken hostCancellation)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var stopAt = invocationDeadline - Min(reserve, NotNegative(invocationDeadline - now) / 4);
        return new SendDeadline(LastStart(stopAt, now), stopAt, time, hostCancellation);
    }

    /// <summary>This deadline, ended before a ledger claim of <paramref name="claimLifetime"/> taken now expires.</summary>
    public SendDeadline WithinClaim(TimeSpan claimLifetime)
    {
        var now = _time.GetUtcNow();
        var stopAt = Min(StopAt, now + claimLifetime - Min(ClaimSafety, claimLifetime / 10));
        return new SendDeadline(Min(StartBy, LastStart(stopAt, now)), stopAt, _time, _stop.Token);
    }

    /// <summary>Whether an attempt that starts after waiting <paramref name="wait"/> would still start in time.</summary>
    public bool AllowsRetryAfter(TimeSpan wait) => !_start.IsCancellationRequested && _time.GetUtcNow() + wait < StartBy;

    /// <summary>The time limit of one request: <see cref="MaxAttempt"/>, and never past <see cref="StopAt"/>.</summary>
    public CancellationTokenSource LimitAttempt()
    {
        var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        CancelAt(attempt, Min(MaxAttempt, StopAt - _time.GetUtcNow()));
        return attempt;
    }

    /// <summary>A time already up cancels now, not on a timer tick later.</summary>
    private static void CancelAt(CancellationTokenSource source, TimeSpan after)
    {
        if (after > TimeSpan.Zero)
        {
            source.CancelAfter(after);
        }
        else
        {
            source.Cancel();
        }
    }

    public void Dispose()
    {
        _start.Dispose();
        _stop.Dispose();
    }

    private static DateTimeOffset LastStart(DateTimeOffset stopAt, DateTimeOffset now) => stopAt - Min(LastStartMargin, NotNegative(stopAt - now) / 4);

    private static TimeSpan NotNegative(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
