namespace WhatsAppChannel.Throughput;

/// <summary>One instance's view of one sender number, without I/O: which slot to ask the store for next and how
/// many permits this instance may still take there. Not thread-safe (the caller locks).</summary>
/// <param name="latestStart">How far into a slot its permits may still be used. A send late in slot k and one early in
/// slot k+10 are less than a second apart, so a permit taken late in its slot could put one more slot's worth into a
/// rolling second; past this point the budget moves on to the next slot.</param>
internal sealed class NumberBudget(int perSecond, TimeSpan latestStart)
{
    private readonly SlotWindow _own = new();
    private readonly ThroughputShare _share = new();

    // Slots before this one are known full in the store: do not ask again.
    private long _firstOpenSlot = long.MinValue;

    public int PerSecond { get; } = perSecond > 0 ? perSecond : throw new ArgumentOutOfRangeException(nameof(perSecond));

    /// <summary>The earliest slot from <paramref name="now"/> on that is neither paused, nor known full, nor over this
    /// instance's share, with the permits it may take there (at least one).</summary>
    public (long Slot, int Available) Next(DateTimeOffset now)
    {
        var current = ThroughputSlots.Of(now);
        _own.Forget(current);
        if (now - ThroughputSlots.StartOf(current) > latestStart)
        {
            current++;
        }

        var paused = _share.PausedUntil > now ? ThroughputSlots.Of(_share.PausedUntil - TimeSpan.FromTicks(1)) + 1 : current;
        var slot = Math.Max(current, Math.Max(paused, _firstOpenSlot));
        var limit = _share.LimitAt(ThroughputSlots.StartOf(slot) > now ? ThroughputSlots.StartOf(slot) : now, PerSecond);

        // Ends within a second of the last reservation: by then every window holding it has moved on.
        int available;
        while ((available = _own.Available(slot, limit)) == 0)
        {
            slot++;
        }

        return (slot, available);
    }

    /// <summary>The store granted <paramref name="granted"/> of the <paramref name="asked"/> permits in <paramref name="slot"/>.</summary>
    public void Granted(long slot, int asked, int granted)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(granted, asked);
        _own.Record(slot, granted);
        if (granted < asked)
        {
            _firstOpenSlot = Math.Max(_firstOpenSlot, slot + 1);
        }
    }

    /// <summary>The number was over its throughput (Meta's 130429, or AWS throttling the send).</summary>
    /// <returns>The new share when it shrank, else null.</returns>
    public double? Throttled(DateTimeOffset now) => _share.Throttled(now);

    public double ShareAt(DateTimeOffset now) => _share.At(now);
}
