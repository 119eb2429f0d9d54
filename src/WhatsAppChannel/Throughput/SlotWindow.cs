namespace WhatsAppChannel.Throughput;

/// <summary>Permits granted per slot, past and reserved ahead; answers how many more a slot may take without any
/// ten consecutive slots (one rolling second) going over a limit. Not thread-safe.</summary>
internal sealed class SlotWindow
{
    private readonly Dictionary<long, int> _granted = [];

    /// <summary>How many permits <paramref name="slot"/> can still take: every one-second window that contains it
    /// (it may hold reservations made for later slots) must stay within <paramref name="perSecond"/>.</summary>
    public int Available(long slot, int perSecond)
    {
        var fullest = 0;
        for (var first = slot - ThroughputSlots.PerSecond + 1; first <= slot; first++)
        {
            var sum = 0;
            for (var s = first; s < first + ThroughputSlots.PerSecond; s++)
            {
                sum += _granted.GetValueOrDefault(s);
            }

            fullest = Math.Max(fullest, sum);
        }

        return Math.Max(0, perSecond - fullest);
    }

    public void Record(long slot, int permits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permits);
        if (permits > 0)
        {
            _granted[slot] = _granted.GetValueOrDefault(slot) + permits;
        }
    }

    /// <summary>Drops slots older than a second before <paramref name="currentSlot"/>: no window that is still
    /// open can contain them, and a warm instance's memory stays flat.</summary>
    public void Forget(long currentSlot)
    {
        var oldest = currentSlot - ThroughputSlots.PerSecond;
        foreach (var slot in _granted.Keys)
        {
            if (slot < oldest)
            {
                _granted.Remove(slot);
            }
        }
    }
}
