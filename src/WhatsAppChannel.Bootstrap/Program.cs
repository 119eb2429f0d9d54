using System.Runtime.InteropServices;
using WhatsAppChannel.Bootstrap;
using WhatsAppChannel.Hosting;

var runtimeApi = Environment.GetEnvironmentVariable(BootstrapEnvironment.RuntimeApi);
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    await Console.Error.WriteLineAsync(
        $"bootstrap: {BootstrapEnvironment.RuntimeApi} is not set; this executable is a Lambda custom runtime and runs inside AWS Lambda or a Runtime API emulator.");
    return ExitCodes.StartupFailed;
}

RuntimeApiClient client;
try
{
    client = RuntimeApiClient.Create(runtimeApi);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"bootstrap: {e.Message}");
    return ExitCodes.StartupFailed;
}

using var stopping = new CancellationTokenSource();
using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using (client)
{
    var heapLimit = GcHeapLimit.Apply(Environment.GetEnvironmentVariable);
    var invariant = System.Globalization.CultureInfo.InvariantCulture;
    await Console.Out.WriteLineAsync(
        $$"""{"timestamp":"{{DateTimeOffset.UtcNow.ToString("O", invariant)}}","level":"Information","message":"bootstrap started","gcHeapHardLimitBytes":{{heapLimit?.ToString(invariant) ?? "null"}},"gcTotalAvailableMemoryBytes":{{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(invariant)}}}""");

    FunctionConfiguration configuration;
    IAsyncDisposable function;
    InvocationHandler handler;
    try
    {
        configuration = FunctionConfiguration.FromEnvironment();
        // One binary, two functions: Lambda sets _HANDLER from the function's handler setting.
        if (string.Equals(Environment.GetEnvironmentVariable(BootstrapEnvironment.Handler)?.Trim(), BootstrapEnvironment.WebhookHandler, StringComparison.OrdinalIgnoreCase))
        {
            var webhook = WebhookFunction.Create(configuration, Console.Out);
            (function, handler) = (webhook, webhook.HandleAsync);
        }
        else
        {
            var sender = ChannelFunction.Create(configuration, Console.Out);
            (function, handler) = (sender, sender.HandleAsync);
        }
    }
#pragma warning disable CA1031 // Whatever stops start-up is reported to Lambda as the init error.
    catch (Exception e)
#pragma warning restore CA1031
    {
        var error = ErrorReport.FromException(e);
        await Console.Error.WriteLineAsync($"bootstrap: start-up failed ({error.ErrorType}): {error.ErrorMessage}");
        try
        {
            await client.ReportInitErrorAsync(error, stopping.Token);
        }
        catch (RuntimeApiException reportFailure)
        {
            await Console.Error.WriteLineAsync($"bootstrap: {reportFailure.Message}");
        }

        return ExitCodes.StartupFailed;
    }

    await using (function)
    {
        var loop = new RuntimeLoop(client, handler, configuration.FunctionTimeout, Console.Error, TimeProvider.System);
        try
        {
            await loop.RunAsync(stopping.Token);
        }
        catch (RuntimeApiException e)
        {
            await Console.Error.WriteLineAsync($"bootstrap: {e.Message}");
            return ExitCodes.RuntimeApiFailed;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return ExitCodes.Stopped;
        }
    }
}

return ExitCodes.Stopped;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
