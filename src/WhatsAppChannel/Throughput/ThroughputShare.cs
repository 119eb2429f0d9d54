namespace WhatsAppChannel.Throughput;

/// <summary>The part of a number's limit this instance lets itself use (additive increase, multiplicative decrease).
/// Meta's 130429 means the number is over its throughput: someone sends more than the budget knows of (instances
/// without a shared table, another sender on the number, a tier below the configured limit). The instance halves its
/// share and pauses for a second (Meta's window), then grows back by a tenth of the limit per second.</summary>
internal sealed class ThroughputShare
{
    public const double Floor = 1.0 / 16;
    public const double RecoveryPerSecond = 0.1;
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    private double _share = 1;
    private DateTimeOffset _recoveringFrom = DateTimeOffset.MinValue;

    /// <summary>No permit is dated before this instant.</summary>
    public DateTimeOffset PausedUntil { get; private set; } = DateTimeOffset.MinValue;

    public double At(DateTimeOffset now)
    {
        if (now <= _recoveringFrom)
        {
            return _share;
        }

        return Math.Min(1, _share + (RecoveryPerSecond * (now - _recoveringFrom).TotalSeconds));
    }

    /// <summary>The permits per second this instance allows itself: never below one.</summary>
    public int LimitAt(DateTimeOffset now, int perSecond) => Math.Max(1, (int)Math.Floor(At(now) * perSecond));

    /// <summary>Answers to requests sent before the last decrease took effect say nothing new: one decrease per pause.</summary>
    /// <returns>The new share when it shrank, else null.</returns>
    public double? Throttled(DateTimeOffset now)
    {
        if (now < PausedUntil)
        {
            return null;
        }

        _share = Math.Max(Floor, At(now) / 2);
        PausedUntil = now + Pause;
        _recoveringFrom = PausedUntil;
        return _share;
    }
}
