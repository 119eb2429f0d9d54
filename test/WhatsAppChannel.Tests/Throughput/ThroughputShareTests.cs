using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class ThroughputShareTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_instance_starts_with_the_whole_limit() =>
        Assert.Equal(80, new ThroughputShare().LimitAt(Start, 80));

    [Fact]
    public void A_throttle_halves_the_share_and_pauses_for_a_second()
    {
        var share = new ThroughputShare();

        share.Throttled(Start);

        Assert.Equal(0.5, share.At(Start));
        Assert.Equal(40, share.LimitAt(Start, 80));
        Assert.Equal(Start + TimeSpan.FromSeconds(1), share.PausedUntil);
    }

    [Fact]
    public void Throttles_during_the_pause_answer_requests_sent_before_it_and_do_not_shrink_again()
    {
        var share = new ThroughputShare();
        share.Throttled(Start);

        share.Throttled(Start + TimeSpan.FromMilliseconds(300));
        share.Throttled(Start + TimeSpan.FromMilliseconds(900));

        Assert.Equal(0.5, share.At(Start + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_share_recovers_a_tenth_per_second_after_the_pause_up_to_the_whole()
    {
        var share = new ThroughputShare();
        share.Throttled(Start);

        Assert.Equal(0.5, share.At(Start + TimeSpan.FromSeconds(1)), 6);
        Assert.Equal(0.7, share.At(Start + TimeSpan.FromSeconds(3)), 6);
        Assert.Equal(1.0, share.At(Start + TimeSpan.FromSeconds(30)), 6);
    }

    [Fact]
    public void Repeated_throttles_shrink_to_a_floor_that_still_sends()
    {
        var share = new ThroughputShare();
        var now = Start;
        for (var i = 0; i < 10; i++)
        {
            share.Throttled(now);
            now = share.PausedUntil;
        }

        Assert.Equal(ThroughputShare.Floor, share.At(now), 6);
        Assert.Equal(1, share.LimitAt(now, 10));
    }
}
