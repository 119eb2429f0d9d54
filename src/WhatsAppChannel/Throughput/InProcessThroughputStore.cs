namespace WhatsAppChannel.Throughput;

/// <summary>The budget without a table: each number's limit holds for this process alone, as a sliding second of ten
/// slots. One process sees every grant, so a slot may take the whole second's permits (a 50-endpoint batch goes out at
/// once) as long as every ten consecutive slots stay within the limit.</summary>
internal sealed class InProcessThroughputStore(int perSecond) : IThroughputStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, SlotWindow> _numbers = new(StringComparer.Ordinal);

    public ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneNumberId);
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        lock (_lock)
        {
            if (!_numbers.TryGetValue(phoneNumberId, out var window))
            {
                _numbers[phoneNumberId] = window = new SlotWindow();
            }

            window.Forget(slot - ThroughputSlots.PerSecond);
            var granted = Math.Min(wanted, window.Available(slot, perSecond));
            window.Record(slot, granted);
            return ValueTask.FromResult(granted);
        }
    }
}
