using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>One <c>whatsapp-channel invoke EVENT --json</c> run as a real child process (<c>dotnet whatsapp-channel.dll</c>
/// from this test assembly's folder, where the referenced Local project's build output is copied).</summary>
internal sealed class HarnessProcess : IDisposable
{
    // Anything the test host has of these would change the function's configuration.
    private static readonly string[] FunctionVariablePrefixes =
    [
        "FB_", "WHATSAPP_", "SEND_", "IDEMPOTENCY_", "AWS_", "TOKEN_CACHE_", "FUNCTION_TIMEOUT_", "LOG_LEVEL", "PARAMETERS_SECRETS_",
    ];

    private readonly Process _process;
    private readonly string? _ownedDirectory;
    private readonly StringBuilder _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private HarnessProcess(Process process, string? ownedDirectory)
    {
        _process = process;
        _ownedDirectory = ownedDirectory;
    }

    public bool HasExited => _process.HasExited;

    public static HarnessProcess Start(string eventFile, Uri graphUrl, string token, string phoneNumberId, IReadOnlyDictionary<string, string> environment) =>
        StartCommand(["invoke", eventFile, "--json", "--graph-url", graphUrl.AbsoluteUri, "--token", token, "--phone-number-id", phoneNumberId], environment);

    /// <summary>Runs <c>whatsapp-channel</c> with any arguments, with none of the function's variables inherited, in
    /// <paramref name="workingDirectory"/>, else in a fresh folder of its own (removed on dispose): the harness keeps its
    /// ledger in the working directory, and runs of different tests must not see each other's sends.</summary>
    public static HarnessProcess StartCommand(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var harness = Path.Combine(AppContext.BaseDirectory, "whatsapp-channel.dll");
        if (!File.Exists(harness))
        {
            throw new InvalidOperationException(
                $"{harness} is missing: the integration tests reference src/WhatsAppChannel.Local, whose build output should be copied next to them.");
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var ownedDirectory = workingDirectory is null ? Directory.CreateTempSubdirectory("harness-").FullName : null;
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory ?? ownedDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(harness);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(IsFunctionVariable).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new HarnessProcess(process, ownedDirectory);
        process.OutputDataReceived += (_, e) => started.AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                started._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL, no chance to finish anything (no ledger write, no response).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits for the exit and for the end of its output; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<HarnessRun> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The harness did not exit within {timeout}. stderr: {string.Join(" | ", _stderr.TakeLast(20))}");
        }

        lock (_stdout)
        {
            return new HarnessRun(_process.ExitCode, _stdout.ToString(), string.Join('\n', _stderr));
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        if (_ownedDirectory is not null && Directory.Exists(_ownedDirectory))
        {
            Directory.Delete(_ownedDirectory, recursive: true);
        }
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            _stdout.AppendLine(line);
        }
    }

    private static bool IsFunctionVariable(string name) =>
        FunctionVariablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
