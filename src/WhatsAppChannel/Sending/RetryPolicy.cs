using Polly;
using Polly.Retry;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Sending;

/// <summary>Retries transient send failures with exponential backoff and jitter (Polly), never past the send deadline.</summary>
internal static class RetryPolicy
{
    /// <summary>The deadline of the current send, read by the retry predicate.</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> Deadline = new("whatsapp.send-deadline");

    public static ResiliencePipeline<SendAttempt> Create(TimeProvider timeProvider, TimeSpan baseDelay, TimeSpan pairRateDelay)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new ResiliencePipelineBuilder<SendAttempt> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<SendAttempt>
            {
                MaxRetryAttempts = 8,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(4),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Result, args.Context, timeProvider, pairRateDelay)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result?.ErrorClass == ErrorClass.PairRateLimit ? pairRateDelay : null),
            })
            .Build();
    }

    private static bool ShouldRetry(SendAttempt? attempt, ResilienceContext context, TimeProvider timeProvider, TimeSpan pairRateDelay)
    {
        if (attempt is null || !context.Properties.TryGetValue(Deadline, out var deadline))
        {
            return false;
        }

        var remaining = deadline - timeProvider.GetUtcNow();
        return attempt.ErrorClass switch
        {
            // A cancelled backoff ends the send with the last answer, so only "no time at all" stops early here.
            ErrorClass.Transient => remaining > TimeSpan.FromMilliseconds(250),
            ErrorClass.PairRateLimit => remaining > pairRateDelay + TimeSpan.FromSeconds(1),
            _ => false,
        };
    }
}
