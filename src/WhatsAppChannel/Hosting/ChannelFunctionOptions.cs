using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Hosting;

/// <summary>Parts of <see cref="ChannelFunction"/> that tests and the local harness replace; null = the production part.</summary>
internal sealed record ChannelFunctionOptions
{
    public TimeProvider? TimeProvider { get; init; }
    public IAccessTokenCache? AccessTokens { get; init; }
    public IIdempotencyLedger? Ledger { get; init; }
    public IThroughputStore? ThroughputStore { get; init; }
    public HttpMessageHandler? GraphHandler { get; init; }
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan PairRateLimitDelay { get; init; } = TimeSpan.FromSeconds(6);
}
