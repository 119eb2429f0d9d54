using FsCheck;
using FsCheck.Xunit;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class ThroughputSlotsTests
{
    [Fact]
    public void A_slot_is_a_tenth_of_a_second_counted_from_the_epoch()
    {
        var instant = new DateTimeOffset(2026, 1, 1, 12, 0, 0, 250, TimeSpan.Zero);

        var slot = ThroughputSlots.Of(instant);

        Assert.Equal(instant.ToUnixTimeMilliseconds() / 100, slot);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, 200, TimeSpan.Zero), ThroughputSlots.StartOf(slot));
        Assert.Equal(ThroughputSlots.StartOf(slot) + ThroughputSlots.Width, ThroughputSlots.StartOf(slot + 1));
    }

    [Theory]
    [InlineData(80, new[] { 7, 7, 7, 8, 7, 7, 7, 8, 7, 7, 8 })]
    [InlineData(40, new[] { 3, 4, 3, 4, 4, 3, 4, 4, 3, 4, 4 })]
    [InlineData(3, new[] { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1 })]
    [InlineData(1, new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 })]
    public void The_shared_store_spreads_the_limit_evenly_over_eleven_slots(int perSecond, int[] caps)
    {
        var first = 11L * 1_600_000_000; // a multiple of 11: October 2025, in 100 ms slots from the epoch

        Assert.Equal(caps, Enumerable.Range(0, 11).Select(i => ThroughputSlots.CapOf(first + i, perSecond)).ToArray());
    }

    [Fact]
    public void A_limit_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ThroughputSlots.CapOf(1, 0));

    [Property(MaxTest = 500)]
    public bool Any_eleven_consecutive_slot_caps_add_up_to_the_limit(PositiveInt perSecond, long firstSlot)
    {
        var limit = perSecond.Get % 100_000 + 1;
        var first = Math.Abs(firstSlot % 100_000_000_000_000);
        return Enumerable.Range(0, 11).Sum(i => ThroughputSlots.CapOf(first + i, limit)) == limit;
    }

    /// <summary>Ten slots hold a second: within the limit, and no less than 10/11 of it (the headroom for late sends).</summary>
    [Property(MaxTest = 500)]
    public bool Any_ten_consecutive_slot_caps_stay_within_the_limit_and_use_ten_elevenths_of_it(PositiveInt perSecond, long firstSlot)
    {
        var limit = perSecond.Get % 100_000 + 1;
        var first = Math.Abs(firstSlot % 100_000_000_000_000);
        var second = Enumerable.Range(0, 10).Sum(i => ThroughputSlots.CapOf(first + i, limit));
        return second <= limit && second >= limit * 10 / 11;
    }
}
