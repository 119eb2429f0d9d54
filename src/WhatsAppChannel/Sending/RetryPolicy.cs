using Polly;
using Polly.Retry;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Sending;

/// <summary>Retries a send only when its answer proves WhatsApp did not take the message (a refused connection, Meta's
/// error body with a transient code, a 429), with exponential backoff and jitter (Polly) or the answer's Retry-After,
/// and only while <see cref="SendDeadline"/> lets the next attempt start.</summary>
internal static class RetryPolicy
{
    /// <summary>The deadline of the current send, read by the retry predicate.</summary>
    public static readonly ResiliencePropertyKey<SendDeadline> Deadline = new("whatsapp.send-deadline");

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
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Result, args.Context, pairRateDelay)),
                DelayGenerator = args => ValueTask.FromResult(Wait(args.Outcome.Result, pairRateDelay)),
            })
            .Build();
    }

    /// <summary>The wait the answer asks for; null leaves it to the backoff.</summary>
    private static TimeSpan? Wait(SendAttempt? attempt, TimeSpan pairRateDelay) =>
        attempt?.RetryAfter ?? (attempt?.ErrorClass == ErrorClass.PairRateLimit ? pairRateDelay : null);

    private static bool ShouldRetry(SendAttempt? attempt, ResilienceContext context, TimeSpan pairRateDelay)
    {
        if (attempt is null || !context.Properties.TryGetValue(Deadline, out var deadline))
        {
            return false;
        }

        // A backoff that runs past the deadline is cut short by it, and the last answer stands.
        return attempt.ErrorClass is ErrorClass.Transient or ErrorClass.PairRateLimit
            && deadline.AllowsRetryAfter(Wait(attempt, pairRateDelay) ?? TimeSpan.Zero);
    }
}
