using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WhatsAppChannel.TestSupport;

/// <summary>A bootstrap (the AOT executable, or <c>dotnet bootstrap.dll</c>) running as a child process against a
/// Runtime API stand-in, its stdout and stderr lines collected.</summary>
internal sealed class BootstrapProcess : IAsyncDisposable
{
    // Variables of the test host that would change the function's behavior if the child inherited them.
    private static readonly string[] InheritedFunctionVariables =
    [
        "AWS_LAMBDA_RUNTIME_API", "FB_BUSINESS_PHONE_ID", "FB_APP_TOKEN", "FB_SECRET_ARN", "WHATSAPP_API_BASE_URL",
        "IDEMPOTENCY_TABLE", "_X_AMZN_TRACE_ID", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "DOTNET_GCHeapHardLimit", "_HANDLER",
        "FB_APP_SECRET", "WHATSAPP_WEBHOOK_VERIFY_TOKEN",
        "WHATSAPP_TRANSPORT", "AWS_EUMS_PHONE_NUMBER_ID", "AWS_EUMS_PHONE_NUMBER_IDS", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SOCIALMESSAGING", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
    ];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BootstrapProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    /// <summary>The last lines of stderr, for a failure message.</summary>
    public string ErrorTail => string.Join(" | ", _stderr.TakeLast(5));

    /// <summary>Starts <paramref name="fileName"/> with only the given function variables set (those of the test
    /// host removed). A <c>.dll</c> is run with <c>dotnet</c>.</summary>
    public static BootstrapProcess Start(string fileName, IReadOnlyDictionary<string, string?> environment)
    {
        var isDll = fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(isDll ? dotnet : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(fileName)!,
        };
        if (isDll)
        {
            start.ArgumentList.Add(fileName);
        }

        foreach (var name in InheritedFunctionVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new BootstrapProcess(process, Stopwatch.GetTimestamp());
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { started._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { started._stderr.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits for the process to exit; throws if it is still running after <paramref name="timeout"/>.</summary>
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

    /// <summary>VmRSS and VmHWM from /proc/{pid}/status, in KiB.</summary>
    public (long ResidentKib, long PeakKib) ReadMemory()
    {
        long resident = -1, peak = -1;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = ParseKib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKib(line);
            }
        }

        return (resident, peak);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static long ParseKib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
