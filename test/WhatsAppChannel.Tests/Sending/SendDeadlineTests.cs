using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Sending;

namespace WhatsAppChannel.Tests.Sending;

/// <summary>The one owner of the send timing: when attempts may start, when retries may wait, when requests stop.</summary>
public sealed class SendDeadlineTests
{
    private static readonly TimeSpan InMemoryReserve = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void With_seconds_left_requests_stop_a_reserve_before_the_deadline_and_the_last_start_is_a_second_earlier()
    {
        var clock = TestClock.Create();
        var deadline = clock.GetUtcNow().AddSeconds(10);

        using var sends = SendDeadline.Before(deadline, InMemoryReserve, clock, CancellationToken.None);

        Assert.Equal(deadline - InMemoryReserve, sends.StopAt);
        Assert.Equal(sends.StopAt - TimeSpan.FromSeconds(1), sends.StartBy);
        Assert.True(sends.CanStart);
    }

    [Fact]
    public void With_little_time_left_each_margin_is_at_most_a_quarter_of_it()
    {
        var clock = TestClock.Create();
        var deadline = clock.GetUtcNow().AddMilliseconds(400);

        using var sends = SendDeadline.Before(deadline, TimeSpan.FromSeconds(2.5), clock, CancellationToken.None);

        Assert.Equal(deadline - TimeSpan.FromMilliseconds(100), sends.StopAt);
        Assert.Equal(sends.StopAt - TimeSpan.FromMilliseconds(75), sends.StartBy);
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(0)]
    public void A_deadline_already_past_lets_nothing_start_and_throws_nothing(int milliseconds)
    {
        var clock = TestClock.Create();

        using var sends = SendDeadline.Before(clock.GetUtcNow().AddMilliseconds(milliseconds), InMemoryReserve, clock, CancellationToken.None);

        Assert.False(sends.CanStart);
        Assert.False(sends.AllowsRetryAfter(TimeSpan.Zero));
        Assert.True(sends.StartToken.IsCancellationRequested);
        using var attempt = sends.LimitAttempt();
        Assert.True(attempt.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_host_canceling_ends_the_starts_like_the_deadline()
    {
        var clock = TestClock.Create();
        using var host = new CancellationTokenSource();
        using var sends = SendDeadline.Before(clock.GetUtcNow().AddMinutes(1), InMemoryReserve, clock, host.Token);

        host.Cancel();

        Assert.False(sends.CanStart);
        Assert.True(sends.StartToken.IsCancellationRequested);
    }

    [Fact]
    public void A_retry_is_allowed_only_when_its_wait_ends_before_the_last_start()
    {
        var clock = TestClock.Create();
        using var sends = SendDeadline.Before(clock.GetUtcNow().AddSeconds(10), InMemoryReserve, clock, CancellationToken.None);

        Assert.True(sends.AllowsRetryAfter(TimeSpan.FromSeconds(8)));
        Assert.False(sends.AllowsRetryAfter(TimeSpan.FromSeconds(9)));

        clock.Advance(TimeSpan.FromSeconds(8.8));
        Assert.False(sends.CanStart);
    }

    [Fact]
    public void A_send_ends_before_its_ledger_claim_expires()
    {
        var clock = TestClock.Create();
        using var sends = SendDeadline.Before(clock.GetUtcNow().AddMinutes(10), InMemoryReserve, clock, CancellationToken.None);

        using var claimed = sends.WithinClaim(TimeSpan.FromSeconds(30));

        // 30 s less a tenth (at most 5 s) of safety; the last attempt starts a second before that.
        Assert.Equal(clock.GetUtcNow().AddSeconds(27), claimed.StopAt);
        Assert.Equal(clock.GetUtcNow().AddSeconds(26), claimed.StartBy);
    }
}
