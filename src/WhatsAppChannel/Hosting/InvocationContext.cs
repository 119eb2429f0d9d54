using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Hosting;

/// <summary>What a host knows about one invocation.</summary>
public sealed record InvocationContext(string RequestId, DateTimeOffset Deadline)
{
    /// <summary>Told of each endpoint's outcome as it is decided (the local harness's progress bar).</summary>
    internal IProgress<EndpointResult>? Progress { get; init; }
}
