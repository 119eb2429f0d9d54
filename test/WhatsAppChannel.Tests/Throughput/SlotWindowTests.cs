using FsCheck;
using FsCheck.Xunit;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class SlotWindowTests
{
    [Fact]
    public void A_whole_second_of_permits_may_go_in_one_slot()
    {
        var window = new SlotWindow();

        Assert.Equal(80, window.Available(100, 80));
        window.Record(100, 80);

        Assert.Equal(0, window.Available(100, 80));
        Assert.Equal(0, window.Available(109, 80));
        Assert.Equal(80, window.Available(110, 80));
    }

    [Fact]
    public void A_reservation_ahead_counts_against_the_slots_before_it()
    {
        var window = new SlotWindow();
        window.Record(105, 60);

        // Slot 100's windows include 100-109, which holds the 60 of slot 105.
        Assert.Equal(20, window.Available(100, 80));
        Assert.Equal(20, window.Available(114, 80));
        Assert.Equal(80, window.Available(115, 80));
    }

    [Fact]
    public void Forgotten_slots_no_longer_count_and_open_windows_keep_theirs()
    {
        var window = new SlotWindow();
        window.Record(100, 30);
        window.Record(105, 30);

        window.Forget(112);

        Assert.Equal(50, window.Available(112, 80));
        Assert.Equal(80, window.Available(115, 80));
    }

    [Fact]
    public void A_negative_grant_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlotWindow().Record(1, -1));

    /// <summary>Requests of any size for any slot (behind, now, ahead), taking what is available: no rolling second
    /// (ten consecutive slots, whose starts are the only slot starts in any one-second window) exceeds the limit.</summary>
    [Property(MaxTest = 300)]
    public bool No_rolling_second_holds_more_than_the_limit(PositiveInt perSecond, (byte Offset, byte Wanted)[] requests)
    {
        var limit = perSecond.Get % 200 + 1;
        var window = new SlotWindow();
        var granted = new Dictionary<long, int>();
        foreach (var (offset, wanted) in requests ?? [])
        {
            long slot = 1000 + (offset % 40);
            var take = Math.Min(wanted, window.Available(slot, limit));
            window.Record(slot, take);
            granted[slot] = granted.GetValueOrDefault(slot) + take;
        }

        return Enumerable.Range(990, 60).All(first => Enumerable.Range(first, 10).Sum(s => granted.GetValueOrDefault(s)) <= limit);
    }
}
