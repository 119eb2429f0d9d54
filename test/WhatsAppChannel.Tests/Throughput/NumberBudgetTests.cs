using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class NumberBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private long Now => ThroughputSlots.Of(_time.GetUtcNow());

    [Fact]
    public void The_current_slot_offers_the_whole_second_when_nothing_was_sent()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);

        Assert.Equal((Now, 80), budget.Next(_time.GetUtcNow()));
    }

    [Fact]
    public void After_a_full_grant_the_next_permit_is_a_second_later()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);
        var (slot, available) = budget.Next(_time.GetUtcNow());
        budget.Granted(slot, available, available);

        Assert.Equal((slot + 10, 80), budget.Next(_time.GetUtcNow()));
    }

    [Fact]
    public void A_slot_the_store_could_not_fill_is_not_asked_again()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);
        var (slot, _) = budget.Next(_time.GetUtcNow());
        budget.Granted(slot, 50, 8);

        Assert.Equal((slot + 1, 72), budget.Next(_time.GetUtcNow()));
    }

    [Fact]
    public void After_a_throttle_nothing_is_dated_within_the_pause_and_the_share_is_halved()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);
        _time.Advance(TimeSpan.FromMilliseconds(40));

        budget.Throttled(_time.GetUtcNow());
        var (slot, available) = budget.Next(_time.GetUtcNow());

        Assert.Equal(ThroughputSlots.Of(_time.GetUtcNow() + ThroughputShare.Pause - TimeSpan.FromTicks(1)) + 1, slot);
        Assert.True(ThroughputSlots.StartOf(slot) >= _time.GetUtcNow() + ThroughputShare.Pause);
        Assert.Equal(40, available);
    }

    [Fact]
    public void The_share_grows_back_as_time_passes()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);
        budget.Throttled(_time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(0.8, budget.ShareAt(_time.GetUtcNow()), 6);
        Assert.Equal(64, budget.Next(_time.GetUtcNow()).Available);
    }

    [Fact]
    public void Late_in_a_slot_a_budget_that_starts_on_slot_edges_moves_on_to_the_next_slot()
    {
        var budget = new NumberBudget(80, TimeSpan.FromMilliseconds(20));
        var slot = Now;

        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(slot, budget.Next(_time.GetUtcNow()).Slot);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(slot + 1, budget.Next(_time.GetUtcNow()).Slot);
    }

    [Fact]
    public void Granting_more_than_was_asked_is_a_bug_and_refused()
    {
        var budget = new NumberBudget(80, ThroughputSlots.Width);

        Assert.Throws<ArgumentOutOfRangeException>(() => budget.Granted(Now, 5, 6));
    }
}
