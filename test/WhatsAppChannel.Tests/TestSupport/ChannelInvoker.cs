using System.Diagnostics;
using System.Text;
using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>Runs the real <see cref="ChannelFunction"/> on an event, against a Graph server on loopback, capturing its log.</summary>
internal static class ChannelInvoker
{
    public const string PhoneNumberId = "100000000000001";
    public const string Token = "EAAtest-token-9f8e7d6c5b4a3210";
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>Environment for a Graph server at <paramref name="baseUrl"/>; the rate limit is high unless a test sets it.</summary>
    public static Dictionary<string, string> Settings(Uri baseUrl, string token = Token, string phoneNumberId = PhoneNumberId) => new()
    {
        ["FB_BUSINESS_PHONE_ID"] = phoneNumberId,
        ["FB_APP_TOKEN"] = token,
        ["WHATSAPP_API_BASE_URL"] = baseUrl.AbsoluteUri,
        ["SEND_RATE_PER_SECOND"] = "10000",
    };

    public static Task<ChannelRun> RunAsync(
        IReadOnlyDictionary<string, string> settings,
        PinpointEventBuilder pinpointEvent,
        TimeSpan timeout,
        IAccessTokenCache? tokens = null,
        TimeSpan? pairRateLimitDelay = null,
        string requestId = "req-1",
        IIdempotencyLedger? ledger = null,
        CancellationToken hostCancellation = default) =>
        RunAsync(settings, pinpointEvent.ToJson(), timeout, tokens, pairRateLimitDelay, requestId, ledger, hostCancellation);

    public static async Task<ChannelRun> RunAsync(
        IReadOnlyDictionary<string, string> settings,
        string eventJson,
        TimeSpan timeout,
        IAccessTokenCache? tokens = null,
        TimeSpan? pairRateLimitDelay = null,
        string requestId = "req-1",
        IIdempotencyLedger? ledger = null,
        CancellationToken hostCancellation = default)
    {
        var log = new StringWriter();
        var options = new ChannelFunctionOptions { RetryBaseDelay = RetryBaseDelay, AccessTokens = tokens, Ledger = ledger };
        if (pairRateLimitDelay is { } pairDelay)
        {
            options = options with { PairRateLimitDelay = pairDelay };
        }

        await using var function = ChannelFunction.Create(FunctionConfiguration.FromLookup(settings.GetValueOrDefault), log, options);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        var stopwatch = Stopwatch.StartNew();
        var context = new InvocationContext(requestId, DateTimeOffset.UtcNow + timeout);
        await using var output = await function.HandleAsync(input, context, hostCancellation);
        var elapsed = stopwatch.Elapsed;
        using var response = await JsonDocument.ParseAsync(output, cancellationToken: CancellationToken.None);
        return new ChannelRun
        {
            Response = response.RootElement.Clone(),
            LogLines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Elapsed = elapsed,
            Timeout = timeout,
        };
    }
}
