using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Sending;

namespace WhatsAppChannel.Tests.Sending;

/// <summary>How long the opt-out read may take, on a fake clock: the ledger answers only when the test moves the clock.</summary>
public sealed class OptOutFilterTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = TestClock.Create();

    private static PlannedSend[] Sends() =>
    [
        new("a", "14155550100", [], "key-a"),
        new("b", "14155550101", [], "key-b"),
    ];

    [Fact]
    public async Task A_slow_read_with_time_left_before_the_last_start_keeps_the_sends()
    {
        var ledger = new SlowLedger(_time, answersAfter: TimeSpan.FromSeconds(5));
        var filter = new OptOutFilter(ledger, new JsonLog(TextWriter.Null, LogLevel.Debug, _time), _time);

        var applying = filter.ApplyAsync(Sends(), _time.GetUtcNow() + TimeSpan.FromSeconds(20));
        await ledger.Reading.Task.WaitAsync(Guard);
        _time.Advance(TimeSpan.FromSeconds(5));
        var (sends, decided) = await applying.WaitAsync(Guard);

        Assert.Equal(["a", "b"], sends.Select(s => s.EndpointId));
        Assert.Empty(decided);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(1)]
    public async Task A_read_that_outlasts_the_last_start_and_two_seconds_fails_every_send_ledger_unavailable(int startBySeconds)
    {
        var ledger = new SlowLedger(_time, answersAfter: TimeSpan.FromMinutes(1));
        var filter = new OptOutFilter(ledger, new JsonLog(TextWriter.Null, LogLevel.Debug, _time), _time);

        var applying = filter.ApplyAsync(Sends(), _time.GetUtcNow() + TimeSpan.FromSeconds(startBySeconds));
        await ledger.Reading.Task.WaitAsync(Guard);
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(applying.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var (sends, decided) = await applying.WaitAsync(Guard);

        Assert.Empty(sends);
        Assert.All(decided, r => Assert.Equal("ledger-unavailable", r.Reason));
        Assert.Equal(["a", "b"], decided.Select(r => r.EndpointId));
    }

    /// <summary>Answers "nobody opted out" after <c>answersAfter</c> on the fake clock, unless canceled first.</summary>
    private sealed class SlowLedger(TimeProvider time, TimeSpan answersAfter) : IDeliveryStatusLedger
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlySet<string>> FindOptedOutAsync(IReadOnlyCollection<string> numberHashes, CancellationToken cancellationToken)
        {
            var waiting = Task.Delay(answersAfter, time, cancellationToken);
            Reading.TrySetResult();
            await waiting;
            return new HashSet<string>();
        }

        public Task<bool> RecordStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetOptOutAsync(string numberHash, bool optedOut, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CampaignFunnel>> ReadFunnelsAsync(string? campaignId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
