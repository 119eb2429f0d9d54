namespace WhatsAppChannel.Hosting;

/// <summary>The webhook's handler on the managed <c>dotnet8</c> runtime:
/// <c>WhatsAppChannel::WhatsAppChannel.Hosting.WebhookEntryPoint::HandleAsync</c>. Stream in, Stream out, like
/// <see cref="LambdaEntryPoint"/>; the deadline is start + FUNCTION_TIMEOUT_SECONDS.</summary>
public sealed class WebhookEntryPoint
{
    // Built on first use and kept for the life of the process, as Lambda reuses it across invocations.
    private static readonly Lazy<(WebhookFunction Function, FunctionConfiguration Configuration)> Instance = new(() =>
    {
        var configuration = FunctionConfiguration.FromEnvironment();
        return (WebhookFunction.Create(configuration, Console.Out), configuration);
    });

    /// <summary>Reading the configuration here makes a bad one fail at init, with one line naming the variable.</summary>
    public WebhookEntryPoint() => _ = Instance.Value;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Lambda calls the handler on an instance.")]
    public Task<Stream> HandleAsync(Stream input)
    {
        var (function, configuration) = Instance.Value;
        var context = new InvocationContext(Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow + configuration.FunctionTimeout);
        return function.HandleAsync(input, context, CancellationToken.None);
    }
}
