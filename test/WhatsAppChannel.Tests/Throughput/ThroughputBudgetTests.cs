using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

/// <summary>The budget's queue and pump over a fake clock: the clock moves only when a test advances it, so a waiter
/// that needs a later slot cannot be let go early, whatever the scheduling.</summary>
public sealed class ThroughputBudgetTests
{
    private const string Number = "100000000000001";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(string Number, Exception Error)> _faults = [];

    private ThroughputBudget Create(IThroughputStore store, int perSecond = 80) =>
        new(store, perSecond, ThroughputSlots.Width, _time, (number, error) =>
        {
            lock (_faults)
            {
                _faults.Add((number, error));
            }
        });

    private List<Task<bool>> Wait(ThroughputBudget budget, int count, TimeSpan? deadline = null, CancellationToken cancellationToken = default) =>
        [.. Enumerable.Range(0, count).Select(_ => budget.WaitAsync(Number, _time.GetUtcNow() + (deadline ?? TimeSpan.FromSeconds(30)), cancellationToken))];

    /// <summary>Waits (in real time, bounded) until <paramref name="done"/> of the tasks have finished.</summary>
    private static async Task SettledAsync(IReadOnlyCollection<Task<bool>> tasks, int done)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (tasks.Count(t => t.IsCompleted) < done)
        {
            await Task.Delay(5, guard.Token);
        }
    }

    [Fact]
    public async Task A_batch_within_the_limit_goes_at_once_with_one_store_call()
    {
        var store = new CountingStore(new InProcessThroughputStore(80));
        var budget = Create(store);

        var waits = Wait(budget, 50);

        Assert.All(await Task.WhenAll(waits).WaitAsync(Guard), Assert.True);
        Assert.InRange(store.Calls, 1, 2);
    }

    [Fact]
    public async Task Callers_beyond_the_limit_wait_for_the_window_to_move_on()
    {
        var budget = Create(new InProcessThroughputStore(80));

        var waits = Wait(budget, 100);
        await SettledAsync(waits, 80);

        Assert.Equal(80, waits.Count(w => w.IsCompletedSuccessfully && w.Result));
        Assert.Equal(20, waits.Count(w => !w.IsCompleted));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.All(await Task.WhenAll(waits).WaitAsync(Guard), Assert.True);
    }

    [Fact]
    public async Task A_caller_whose_deadline_comes_before_the_next_free_slot_is_told_at_once()
    {
        var budget = Create(new InProcessThroughputStore(80));
        var first = Wait(budget, 80);
        await Task.WhenAll(first).WaitAsync(Guard);

        var late = Wait(budget, 5, deadline: TimeSpan.FromMilliseconds(500));

        Assert.All(await Task.WhenAll(late).WaitAsync(Guard), Assert.False);
    }

    [Fact]
    public async Task A_caller_is_told_at_its_deadline_even_while_the_store_hangs()
    {
        var store = new HangingStore();
        var budget = Create(store);

        var waits = Wait(budget, 3, deadline: TimeSpan.FromSeconds(2));
        await store.Called.Task.WaitAsync(Guard);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.All(await Task.WhenAll(waits).WaitAsync(Guard), Assert.False);
    }

    [Fact]
    public async Task A_canceled_caller_stops_waiting_and_the_others_are_served()
    {
        var budget = Create(new InProcessThroughputStore(80));
        await Task.WhenAll(Wait(budget, 80)).WaitAsync(Guard);
        using var cancel = new CancellationTokenSource();

        var canceled = Wait(budget, 1, cancellationToken: cancel.Token);
        var kept = Wait(budget, 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled[0].WaitAsync(Guard));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await kept[0].WaitAsync(Guard));
    }

    [Fact]
    public async Task A_store_that_grants_a_few_per_slot_spreads_a_batch_over_later_slots()
    {
        var store = new CountingStore(new PerSlotStore(8));
        var budget = Create(store);

        var waits = Wait(budget, 20);
        await SettledAsync(waits, 8);
        Assert.Equal(8, waits.Count(w => w.IsCompleted));

        // Small steps: a pump that read the clock just before a step sets its timer a step late, and the next step fires it.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (waits.Any(w => !w.IsCompleted))
        {
            await QuietAsync(() => (waits.Count(w => w.IsCompleted), store.Calls), guard.Token);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.All(await Task.WhenAll(waits), Assert.True);

        // One call per slot, and at most one more when the pump wakes at a slot's edge before the clock moves on:
        // a handful of writes for 20 sends, never one per send.
        Assert.InRange(store.Calls, 3, 4);
    }

    [Fact]
    public async Task A_store_fault_is_reported_and_the_instance_sends_under_its_own_share()
    {
        var budget = Create(new FailingStore());

        var waits = Wait(budget, 10);

        Assert.All(await Task.WhenAll(waits).WaitAsync(Guard), Assert.True);
        var fault = Assert.Single(_faults);
        Assert.Equal(Number, fault.Number);
        Assert.IsType<ThroughputStoreUnavailableException>(fault.Error);
    }

    [Fact]
    public async Task A_throttle_pauses_new_permits_for_a_second_and_halves_them()
    {
        var budget = Create(new InProcessThroughputStore(80));
        await Task.WhenAll(Wait(budget, 1)).WaitAsync(Guard);
        _time.Advance(TimeSpan.FromSeconds(2));

        budget.Throttled(Number);
        var waits = Wait(budget, 60);
        await Task.Delay(50);
        Assert.DoesNotContain(waits, w => w.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await SettledAsync(waits, 40);
        Assert.Equal(40, waits.Count(w => w.IsCompleted));
    }

    [Fact]
    public async Task Each_number_waits_only_for_its_own_limit()
    {
        var budget = Create(new InProcessThroughputStore(10));
        await Task.WhenAll(Wait(budget, 10)).WaitAsync(Guard);

        var other = await budget.WaitAsync("100000000000002", _time.GetUtcNow() + TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Guard);

        Assert.True(other);
    }

    /// <summary>Four instances share one number through a store that answers late, by a different delay each call (on
    /// the fake clock), so a pump's guess of the store's latency is often wrong and its permits come late. Meta counts
    /// every rolling second: no window may see more starts than the limit, even with some delay on the way.</summary>
    [Fact]
    public async Task Instances_sharing_a_store_that_answers_late_never_start_more_than_the_limit_in_any_rolling_second()
    {
        const int Limit = 40;
        const int Instances = 4;
        const int PerInstance = 60;
        var store = new SlowSharedStore(Limit, _time, [0, 90, 10, 80]);
        var starts = new List<DateTimeOffset>();
        var waits = new List<Task<bool>>();
        for (var i = 0; i < Instances; i++)
        {
            // As with a table: permits are used within the first 20 ms of their slot.
            var budget = new ThroughputBudget(store, Limit, TimeSpan.FromMilliseconds(20), _time, (_, _) => { });
            waits.AddRange(Enumerable.Range(0, PerInstance).Select(_ => budget.WaitAsync(Number, _time.GetUtcNow() + TimeSpan.FromSeconds(60), CancellationToken.None)));
        }

        waits = [.. waits.Select(async wait =>
        {
            var granted = await wait;
            lock (starts)
            {
                starts.Add(_time.GetUtcNow());
            }

            return granted;
        })];

        // The clock moves only once the pumps have settled, in steps of 10 ms: the starts are read off the fake clock.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (waits.Any(w => !w.IsCompleted))
        {
            await QuietAsync(() => (waits.Count(w => w.IsCompleted), store.Calls), guard.Token);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.All(await Task.WhenAll(waits), Assert.True);
        List<DateTimeOffset> sorted;
        lock (starts)
        {
            sorted = [.. starts.Order()];
        }

        // Even if each request reaches Meta up to 50 ms after it started (the network, the instances' clocks).
        Assert.Equal(Instances * PerInstance, sorted.Count);
        var window = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(50);
        var fullest = sorted.Select((start, i) => sorted.Skip(i).TakeWhile(t => t - start < window).Count()).Max();
        Assert.InRange(fullest, 1, Limit);
    }

    /// <summary>Waits until <paramref name="progress"/> has not changed over a few polls (real time, bounded).</summary>
    private static async Task QuietAsync<T>(Func<T> progress, CancellationToken cancellationToken)
    {
        var last = progress();
        for (var unchanged = 0; unchanged < 3;)
        {
            await Task.Delay(2, cancellationToken);
            var now = progress();
            unchanged = EqualityComparer<T>.Default.Equals(now, last) ? unchanged + 1 : 0;
            last = now;
        }
    }

    private sealed class CountingStore(IThroughputStore inner) : IThroughputStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.TakeAsync(phoneNumberId, slot, wanted, cancellationToken);
        }
    }

    /// <summary>Grants a fixed number per slot, as the shared store does.</summary>
    private sealed class PerSlotStore(int perSlot) : IThroughputStore
    {
        private readonly Dictionary<long, int> _taken = [];

        public ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
        {
            lock (_taken)
            {
                var granted = Math.Min(wanted, perSlot - _taken.GetValueOrDefault(slot));
                _taken[slot] = _taken.GetValueOrDefault(slot) + granted;
                return ValueTask.FromResult(granted);
            }
        }
    }

    /// <summary>The shared store's arithmetic (<see cref="ThroughputSlots.CapOf"/> per slot, for every instance), answering
    /// each call after the next of <paramref name="latenciesMs"/> on the fake clock.</summary>
    private sealed class SlowSharedStore(int perSecond, TimeProvider time, int[] latenciesMs) : IThroughputStore
    {
        private readonly Dictionary<long, int> _taken = [];
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            var latency = latenciesMs[call % latenciesMs.Length];
            if (latency > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(latency), time, cancellationToken);
            }

            lock (_taken)
            {
                var granted = Math.Min(wanted, ThroughputSlots.CapOf(slot, perSecond) - _taken.GetValueOrDefault(slot));
                _taken[slot] = _taken.GetValueOrDefault(slot) + granted;
                return granted;
            }
        }
    }

    private sealed class HangingStore : IThroughputStore
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    private sealed class FailingStore : IThroughputStore
    {
        public ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken) =>
            ValueTask.FromException<int>(new ThroughputStoreUnavailableException("DynamoDB UpdateItem on table 't' failed: timed out"));
    }
}
