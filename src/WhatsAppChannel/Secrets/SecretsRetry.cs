using Polly;
using Polly.Retry;

namespace WhatsAppChannel.Secrets;

/// <summary>Retries transient secret-read failures (throttling, 5xx, unreachable, timeout) a few times with short backoff.</summary>
internal static class SecretsRetry
{
    public const int MaxAttempts = 3;

    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Bounds each attempt so a hung endpoint cannot eat the invocation's deadline.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    public static ResiliencePipeline Create(TimeProvider timeProvider, TimeSpan baseDelay) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TokenUnavailableException>(e => e.IsTransient),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
            })
            .Build();

    /// <summary>Runs <paramref name="attempt"/> through the pipeline; a failure still transient after the last attempt says so.</summary>
    public static async Task<string> ExecuteAsync(
        ResiliencePipeline pipeline, Func<CancellationToken, Task<string>> attempt, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    return await attempt(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TokenUnavailableException e) when (e.IsTransient)
        {
            throw new TokenUnavailableException($"{e.Message} Gave up after {attempts} attempts.", e.InnerException);
        }
    }

    /// <summary>Transport failures of one attempt, as transient token errors naming what could not be reached.</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, string source, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            return await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new TokenUnavailableException($"Could not reach {source} at {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {e.Message}.", e)
            {
                IsTransient = true,
            };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenUnavailableException(
                $"No answer from {source} at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} within {AttemptTimeout.TotalSeconds:0} s.", e)
            {
                IsTransient = true,
            };
        }
    }
}
