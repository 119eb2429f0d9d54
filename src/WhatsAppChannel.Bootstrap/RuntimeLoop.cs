using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Bootstrap;

/// <summary>The custom runtime's event loop: next, handle, respond or report, repeat.
/// Handler failures are reported and the loop goes on; Runtime API failures end it.</summary>
internal sealed class RuntimeLoop
{
    private readonly RuntimeApiClient _client;
    private readonly InvocationHandler _handler;
    private readonly TimeSpan _fallbackTimeout;
    private readonly TextWriter _diagnostics;
    private readonly TimeProvider _time;

    /// <param name="fallbackTimeout">Deadline distance for an event that came without Lambda-Runtime-Deadline-Ms.</param>
    /// <param name="diagnostics">Where the runtime's own one-line notes go (stderr).</param>
    public RuntimeLoop(RuntimeApiClient client, InvocationHandler handler, TimeSpan fallbackTimeout, TextWriter diagnostics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(time);
        _client = client;
        _handler = handler;
        _fallbackTimeout = fallbackTimeout;
        _diagnostics = diagnostics;
        _time = time;
    }

    /// <summary>Serves events until <paramref name="stopping"/> is canceled.</summary>
    /// <exception cref="RuntimeApiException">The Runtime API failed; the process should exit.</exception>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            var invocation = await _client.GetNextInvocationAsync(stopping).ConfigureAwait(false);
            await InvokeAsync(invocation, stopping).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(Invocation invocation, CancellationToken stopping)
    {
        // Null clears it, so one event's trace never leaks into the next.
        Environment.SetEnvironmentVariable(BootstrapEnvironment.TraceId, invocation.TraceId);

        var deadline = invocation.Deadline ?? _time.GetUtcNow() + _fallbackTimeout;
        var remaining = deadline - _time.GetUtcNow();
        using var deadlineReached = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadlineReached.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);

        Stream response;
        try
        {
            using var input = invocation.OpenPayload();
            response = await _handler(input, new InvocationContext(invocation.RequestId, deadline), deadlineReached.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any handler failure, bug or not, is reported to Lambda; the loop must survive it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var error = ErrorReport.FromException(e);
            var refused = await _client.ReportInvocationErrorAsync(invocation.RequestId, error, stopping).ConfigureAwait(false);
            if (refused is { } status)
            {
                await _diagnostics.WriteLineAsync(
                    $"bootstrap: Runtime API refused the error report for {invocation.RequestId} with {(int)status}.").ConfigureAwait(false);
            }

            return;
        }

        await using (response.ConfigureAwait(false))
        {
            var refused = await _client.SendResponseAsync(invocation.RequestId, response, stopping).ConfigureAwait(false);
            if (refused is { } status)
            {
                await _diagnostics.WriteLineAsync(
                    $"bootstrap: Runtime API refused the response for {invocation.RequestId} with {(int)status}.").ConfigureAwait(false);
            }
        }
    }
}
