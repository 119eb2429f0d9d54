using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WhatsAppChannel.Benchmarks;

/// <summary>A bootstrap (AOT executable or JIT <c>dotnet bootstrap.dll</c>) started against a Runtime API stand-in,
/// its output drained (the last lines of stderr kept for diagnostics).</summary>
internal sealed class BootstrapProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _errorTail = new();

    private BootstrapProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string ErrorTail
    {
        get
        {
            lock (_errorTail)
            {
                return string.Join(" | ", _errorTail);
            }
        }
    }

    /// <param name="path">The AOT <c>bootstrap</c>, or a <c>.dll</c> run with <c>dotnet</c>.</param>
    public static BootstrapProcess Start(string path, IReadOnlyDictionary<string, string> environment)
    {
        var isDll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(isDll ? "dotnet" : path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        if (isDll)
        {
            info.ArgumentList.Add(path);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var started = Stopwatch.GetTimestamp();
        process.Start();
        var bootstrap = new BootstrapProcess(process, started);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => bootstrap.KeepErrorLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bootstrap;
    }

    /// <summary>VmRSS and VmHWM of the process, in KiB (Linux /proc).</summary>
    public (long RssKib, long PeakKib) ReadMemory()
    {
        long rss = -1, peak = -1;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKib(line);
            }
        }

        return (rss, peak);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
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

    private void KeepErrorLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_errorTail)
        {
            _errorTail.Enqueue(line);
            if (_errorTail.Count > 5)
            {
                _errorTail.Dequeue();
            }
        }
    }
}
