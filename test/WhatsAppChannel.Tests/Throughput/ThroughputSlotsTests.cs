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
    [InlineData(80, new[] { 8, 8, 8, 8, 8, 8, 8, 8, 8, 8 })]
    [InlineData(85, new[] { 9, 9, 9, 9, 9, 8, 8, 8, 8, 8 })]
    [InlineData(3, new[] { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 })]
    public void A_slot_holds_a_tenth_of_the_limit_and_the_remainder_goes_to_the_first_slots_of_a_second(int perSecond, int[] caps)
    {
        var first = ThroughputSlots.Of(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(caps, Enumerable.Range(0, 10).Select(i => ThroughputSlots.CapOf(first + i, perSecond)).ToArray());
    }

    [Fact]
    public void A_limit_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ThroughputSlots.CapOf(1, 0));

    [Property(MaxTest = 500)]
    public bool Any_ten_consecutive_slot_caps_add_up_to_the_limit(PositiveInt perSecond, long firstSlot)
    {
        var limit = perSecond.Get % 5000 + 1;
        var first = Math.Abs(firstSlot % 1_000_000_000_000);
        return Enumerable.Range(0, 10).Sum(i => ThroughputSlots.CapOf(first + i, limit)) == limit;
    }
}
