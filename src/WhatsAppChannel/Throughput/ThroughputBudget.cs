using System.Collections.Concurrent;

namespace WhatsAppChannel.Throughput;

/// <summary>Send permits per sender number, one per request to Meta. Concurrent callers of one number queue up and
/// one pump serves them: it asks the store for as many permits of a slot as are waiting (one store call for a whole
/// batch's slot, not one per message), waits for the slot's start, then lets that many callers go, oldest first.
/// A caller that cannot start before its deadline is told so instead of waiting past it.</summary>
/// <param name="latestStart">How far into a slot its permits may still be used (see <see cref="NumberBudget"/>).</param>
internal sealed class ThroughputBudget(IThroughputStore store, int perSecond, TimeSpan latestStart, TimeProvider time, Action<string, Exception> onStoreFault)
{
    // After a store fault the instance counts alone for this long, rather than fail every send or log every slot.
    private static readonly TimeSpan StoreRest = TimeSpan.FromSeconds(1);

    // A store slower than this is failing rather than slow; asking further ahead would only hold sends back.
    private static readonly TimeSpan MaxLead = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    // The shared store spreads a second's permits over eleven slots: a send may reach Meta up to a slot after its
    // slot's start. Half of that is for the pump (store answers later than the last one did), half for the network and
    // clock skew between instances. One process alone asks nothing remote and may use a slot to its end.
    private readonly TimeSpan _latestUse = latestStart > ThroughputSlots.Width / 2 ? latestStart : ThroughputSlots.Width / 2;

    /// <summary>True when the caller may start one send now; false when no permit is free before
    /// <paramref name="deadline"/> (the send was never started).</summary>
    public Task<bool> WaitAsync(string phoneNumberId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneNumberId);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        var lane = _lanes.GetOrAdd(phoneNumberId, _ => new Lane(perSecond, latestStart));
        var waiter = new Waiter(deadline);
        lock (lane.Gate)
        {
            lane.Waiting.Add(waiter);
            waiter.Watch(time, cancellationToken);
            if (lane.Pumping)
            {
                return waiter.Task;
            }

            lane.Pumping = true;
        }

        _ = Task.Run(() => PumpAsync(phoneNumberId, lane), CancellationToken.None);
        return waiter.Task;
    }

    /// <summary>The number's throughput is exceeded (Meta's 130429, or AWS throttling the send): this instance's share shrinks.</summary>
    /// <returns>The new share of the number's limit when it shrank; null when this answer followed a decrease still in effect.</returns>
    public double? Throttled(string phoneNumberId)
    {
        ArgumentNullException.ThrowIfNull(phoneNumberId);
        var lane = _lanes.GetOrAdd(phoneNumberId, _ => new Lane(perSecond, latestStart));
        lock (lane.Gate)
        {
            return lane.Budget.Throttled(time.GetUtcNow());
        }
    }

    private async Task PumpAsync(string phoneNumberId, Lane lane)
    {
        try
        {
            while (true)
            {
                long slot;
                int wanted;
                bool resting;
                lock (lane.Gate)
                {
                    // Asks for the slot that will be open when the store answers, so the permits are not used late.
                    var now = time.GetUtcNow();
                    (slot, var available) = lane.Budget.Next(now + lane.StoreLatency);
                    lane.DropUnable(ThroughputSlots.StartOf(slot));
                    if (lane.Waiting.Count == 0)
                    {
                        lane.Pumping = false;
                        return;
                    }

                    wanted = Math.Min(available, lane.Waiting.Count);
                    resting = now < lane.StoreRestsUntil;
                }

                var granted = resting ? wanted : await TakeAsync(phoneNumberId, lane, slot, wanted).ConfigureAwait(false);
                lock (lane.Gate)
                {
                    lane.Budget.Granted(slot, wanted, granted);
                }

                // Permits that came after their slot's last use are given up, not used late: a late start could put an
                // extra slot's worth into a rolling second. They stay counted; the next slot is asked for.
                if (granted == 0 || time.GetUtcNow() > ThroughputSlots.StartOf(slot) + _latestUse)
                {
                    continue;
                }

                var wait = ThroughputSlots.StartOf(slot) - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time).ConfigureAwait(false);
                }

                lock (lane.Gate)
                {
                    lane.Release(granted);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            lock (lane.Gate)
            {
                lane.FailAll(ex);
                lane.Pumping = false;
            }
        }
    }

    private async Task<int> TakeAsync(string phoneNumberId, Lane lane, long slot, int wanted)
    {
        var started = time.GetTimestamp();
        try
        {
            // Not the callers' tokens: the pump serves every caller; each caller's own deadline ends its wait.
            var granted = await store.TakeAsync(phoneNumberId, slot, wanted, CancellationToken.None).ConfigureAwait(false);
            lock (lane.Gate)
            {
                // Up at once, down by halves: one fast answer after slow ones does not make the next ask late.
                var latency = time.GetElapsedTime(started);
                var lead = latency >= lane.StoreLatency ? latency : (lane.StoreLatency + latency) / 2;
                lane.StoreLatency = lead < MaxLead ? lead : MaxLead;
            }

            return granted;
        }
        catch (ThroughputStoreUnavailableException ex)
        {
            // Sending under this instance's own share beats failing sends whose ledger claims already succeeded.
            lock (lane.Gate)
            {
                lane.StoreRestsUntil = time.GetUtcNow() + StoreRest;
            }

            onStoreFault(phoneNumberId, ex);
            return wanted;
        }
    }

    private sealed class Lane(int perSecond, TimeSpan latestStart)
    {
        public object Gate { get; } = new();
        public List<Waiter> Waiting { get; } = [];
        public NumberBudget Budget { get; } = new(perSecond, latestStart);
        public bool Pumping { get; set; }
        public DateTimeOffset StoreRestsUntil { get; set; } = DateTimeOffset.MinValue;

        /// <summary>How long the last store call took: the next one asks that far ahead.</summary>
        public TimeSpan StoreLatency { get; set; }

        /// <summary>Forgets callers that gave up and tells those whose deadline comes before <paramref name="start"/>.</summary>
        public void DropUnable(DateTimeOffset start) =>
            Waiting.RemoveAll(w => w.Task.IsCompleted || (w.Deadline < start && w.Finish(false)));

        public void Release(int permits)
        {
            var released = 0;
            var index = 0;
            while (released < permits && index < Waiting.Count)
            {
                released += Waiting[index].Finish(true) ? 1 : 0;
                index++;
            }

            Waiting.RemoveRange(0, index);
        }

        public void FailAll(Exception error)
        {
            foreach (var waiter in Waiting)
            {
                waiter.Fail(error);
            }

            Waiting.Clear();
        }
    }

    private sealed class Waiter(DateTimeOffset deadline)
    {
        private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _deadlineTimer;
        private CancellationTokenRegistration _cancellation;

        public DateTimeOffset Deadline { get; } = deadline;

        public Task<bool> Task => _done.Task;

        /// <summary>The caller's deadline and token end its wait even while the pump is busy with the store.</summary>
        public void Watch(TimeProvider time, CancellationToken cancellationToken)
        {
            var remaining = Deadline - time.GetUtcNow();
            _deadlineTimer = time.CreateTimer(
                static state => ((Waiter)state!).Finish(false),
                this,
                remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                Timeout.InfiniteTimeSpan);
            _cancellation = cancellationToken.Register(static (state, token) =>
            {
                var waiter = (Waiter)state!;
                if (waiter._done.TrySetCanceled(token))
                {
                    waiter.Stop();
                }
            }, this);
        }

        public bool Finish(bool granted)
        {
            if (!_done.TrySetResult(granted))
            {
                return false;
            }

            Stop();
            return true;
        }

        public void Fail(Exception error)
        {
            if (_done.TrySetException(error))
            {
                Stop();
            }
        }

        private void Stop()
        {
            _deadlineTimer?.Dispose();
            _cancellation.Dispose();
        }
    }
}
