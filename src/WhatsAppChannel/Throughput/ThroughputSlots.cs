namespace WhatsAppChannel.Throughput;

/// <summary>Time cut into 100 ms slots (numbered from the Unix epoch). Permits are dated by slot: a send may start
/// from its slot's start on. Any one-second window holds the starts of exactly ten slots, so a budget that keeps
/// every ten consecutive slots within the limit keeps every rolling second within it, not only calendar seconds,
/// as long as each send starts at its slot's start.</summary>
internal static class ThroughputSlots
{
    public const int PerSecond = 10;

    public static readonly TimeSpan Width = TimeSpan.FromSeconds(1.0 / PerSecond);

    public static long Of(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() / (long)Width.TotalMilliseconds;

    public static DateTimeOffset StartOf(long slot) => DateTimeOffset.FromUnixTimeMilliseconds(slot * (long)Width.TotalMilliseconds);

    /// <summary>Slots over which the shared store spreads one second's permits: one more than a second holds. A send
    /// may reach Meta up to a slot after its slot's start (the wait for the store, scheduling, clock skew between
    /// instances, the network), so a rolling second can see the sends of eleven slots: eleven consecutive slots hold
    /// the limit, and any second is within it however the sends of its edge slots are spread.</summary>
    public const int SpreadOver = PerSecond + 1;

    /// <summary>The permits one slot holds when the slots cannot see each other (the shared store): the limit spread
    /// evenly over <see cref="SpreadOver"/> slots, so any eleven consecutive slots hold exactly
    /// <paramref name="perSecond"/> and any ten at most that (10/11 of it on average: the headroom that absorbs late sends).</summary>
    public static int CapOf(long slot, int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        return (int)(Spread(slot + 1, perSecond) - Spread(slot, perSecond));
    }

    // The permits of all slots before this one, on a line that rises by perSecond every SpreadOver slots.
    private static long Spread(long slot, int perSecond)
    {
        var whole = Math.DivRem(slot, SpreadOver, out var part);
        if (part < 0)
        {
            whole--;
            part += SpreadOver;
        }

        return (whole * perSecond) + (part * perSecond / SpreadOver);
    }
}
