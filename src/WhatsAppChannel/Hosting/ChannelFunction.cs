using WhatsAppChannel.Observability;

namespace WhatsAppChannel.Hosting;

/// <summary>The handler every host calls: one event in, the per-endpoint response out.
/// Built once per process and reused across invocations (pooled HttpClient, token cache, ledger).</summary>
public sealed class ChannelFunction : IAsyncDisposable
{
    private ChannelFunction() { }

    /// <summary>Builds the function from its configuration; <paramref name="log"/> receives JSON log lines and metrics.</summary>
    public static ChannelFunction Create(FunctionConfiguration configuration, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(log);
        return new ChannelFunction();
    }

    /// <summary>Handles one Pinpoint event and returns the response JSON (DESIGN section 7).</summary>
    /// <exception cref="ChannelException">The event or the configuration is unusable.</exception>
    public Task<Stream> HandleAsync(Stream input, InvocationContext context, CancellationToken cancellationToken)
    {
        throw new NotImplementedException();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
