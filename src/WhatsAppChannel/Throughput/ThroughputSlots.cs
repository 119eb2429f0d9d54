namespace WhatsAppChannel.Throughput;

/// <summary>Time cut into 100 ms slots (numbered from the Unix epoch). Permits are dated by slot: a send may start
/// from its slot's start on. Any one-second window holds the starts of exactly ten slots, so a budget that keeps
/// every ten consecutive slots within the limit keeps every rolling second within it, not only calendar seconds.</summary>
internal static class ThroughputSlots
{
    public const int PerSecond = 10;

    public static readonly TimeSpan Width = TimeSpan.FromSeconds(1.0 / PerSecond);

    public static long Of(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() / (long)Width.TotalMilliseconds;

    public static DateTimeOffset StartOf(long slot) => DateTimeOffset.FromUnixTimeMilliseconds(slot * (long)Width.TotalMilliseconds);

    /// <summary>The share of <paramref name="perSecond"/> one slot holds when the slots cannot see each other
    /// (the shared store): a tenth each, the remainder going to the first slots of every second, so any ten
    /// consecutive slots hold exactly <paramref name="perSecond"/>.</summary>
    public static int CapOf(long slot, int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        var position = (int)(((slot % PerSecond) + PerSecond) % PerSecond);
        return (perSecond / PerSecond) + (position < perSecond % PerSecond ? 1 : 0);
    }
}
