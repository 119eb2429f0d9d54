using WhatsAppChannel.Observability;

namespace WhatsAppChannel.Hosting;

/// <summary>The handler of the managed <c>dotnet8</c> runtime:
/// <c>WhatsAppChannel::WhatsAppChannel.Hosting.LambdaEntryPoint::HandleAsync</c>. Stream in, Stream out, so no
/// Lambda serializer package is needed. This host has no Lambda context: the deadline is start + FUNCTION_TIMEOUT_SECONDS.</summary>
public sealed class LambdaEntryPoint
{
    // Built on first use and kept for the life of the process, as Lambda reuses it across invocations.
    private static readonly Lazy<(ChannelFunction Function, FunctionConfiguration Configuration)> Instance = new(() =>
    {
        var configuration = FunctionConfiguration.FromEnvironment();
        // Said once, so that whoever reads these logs knows why the request ids match nothing in Lambda's own.
        new JsonLog(Console.Out, configuration.LogLevel, TimeProvider.System).Write(
            LogLevel.Warning,
            "Managed-runtime host without a Lambda context: request ids are generated here and the deadline is the start "
            + "of each invocation plus FUNCTION_TIMEOUT_SECONDS. The Native AOT bootstrap host reads both from Lambda.");
        return (ChannelFunction.Create(configuration, Console.Out), configuration);
    });

    /// <summary>Reading the configuration here makes a bad one fail at init, with one line naming the variable.</summary>
    public LambdaEntryPoint() => _ = Instance.Value;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Lambda calls the handler on an instance.")]
    public Task<Stream> HandleAsync(Stream input)
    {
        var (function, configuration) = Instance.Value;
        var context = new InvocationContext(Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow + configuration.FunctionTimeout);
        return function.HandleAsync(input, context, CancellationToken.None);
    }
}
