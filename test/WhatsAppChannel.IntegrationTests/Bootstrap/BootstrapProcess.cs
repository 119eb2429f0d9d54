using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The bootstrap running as a child process, with its stdout and stderr lines collected.</summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private static readonly string[] InheritedFunctionVariables =
    [
        "AWS_LAMBDA_RUNTIME_API", "FB_BUSINESS_PHONE_ID", "FB_APP_TOKEN", "FB_SECRET_ARN", "WHATSAPP_API_BASE_URL",
        "IDEMPOTENCY_TABLE", "_X_AMZN_TRACE_ID", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "DOTNET_GCHeapHardLimit",
        "WHATSAPP_TRANSPORT", "AWS_EUMS_PHONE_NUMBER_ID", "AWS_EUMS_PHONE_NUMBER_IDS", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SOCIALMESSAGING", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
    ];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BootstrapProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>Starts the bootstrap with only the given function variables set (others of the test host removed).</summary>
    public static async Task<BootstrapProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var (fileName, arguments) = await BootstrapExecutable.GetCommandAsync();
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var name in InheritedFunctionVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new BootstrapProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { started._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { started._stderr.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits for the process to exit; fails the test if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The bootstrap did not exit within {timeout}. stderr: {string.Join(" | ", _stderr)}");
        }

        return _process.ExitCode;
    }

    /// <summary>Resident set size from /proc/{pid}/status (VmRSS), in kilobytes.</summary>
    public long ReadResidentKilobytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("No VmRSS line in /proc status.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
