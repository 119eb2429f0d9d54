using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The local campaign runner (<c>whatsapp-channel campaign</c>) as a user runs it: a 10,000-row CSV, the SQLite
/// ledger, SEND_RATE_PER_SECOND and WHATSAPP_THROUGHPUT_PER_SECOND both 1000, against the sandbox (in this process, so
/// its message log is not counted). Measures the rate, the peak RSS, and whether memory stays flat: an audience three
/// times as long must peak about as high (within a run the GC lets the heap grow for a while before it settles, so RSS
/// over time alone would mislead).</summary>
internal static class LocalCampaignRun
{
    private const int Rows = 10_000;
    private const int LongRows = 30_000;
    private const int Rate = 1_000;
    private const double RateTolerance = 0.9;
    private const long PeakTargetKib = 200 * 1024;
    private const long FlatToleranceKib = 16 * 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);

    public static async Task<IReadOnlyList<Figure>> RunAsync(string harness, CancellationToken cancellationToken)
    {
        var name = $"Campaign runner: {Rows:N0} rows at SEND_RATE_PER_SECOND={Rate}, msg/s";
        var target = $">= {Rate * RateTolerance:0}";
        if (!File.Exists(harness))
        {
            return [Figure.Missing(name, target, $"{harness} does not exist (build src/WhatsAppChannel.Local -c Release)")];
        }

        var folder = Directory.CreateTempSubdirectory("campaign-bench-").FullName;
        try
        {
            var run = await MeasureAsync(harness, folder, Rows, cancellationToken);
            var longer = await MeasureAsync(harness, folder, LongRows, cancellationToken);
            if ((run.Problem ?? longer.Problem) is { } problem)
            {
                return [Figure.Missing(name, target, problem)];
            }

            var growth = longer.PeakKib - run.PeakKib;
            return
            [
                new(name, run.MessagesPerSecond.ToString("0", CultureInfo.InvariantCulture), target, run.MessagesPerSecond >= Rate * RateTolerance),
                new($"Campaign runner: peak RSS (VmHWM) over {Rows:N0} rows", Mib(run.PeakKib), $"<= {Mib(PeakTargetKib)}", run.PeakKib <= PeakTargetKib),
                new($"Campaign runner: peak RSS at {LongRows:N0} rows minus at {Rows:N0} rows (memory flat)",
                    $"{Mib(growth)} ({Mib(run.PeakKib)} -> {Mib(longer.PeakKib)})", $"<= {Mib(FlatToleranceKib)}", growth <= FlatToleranceKib),
                Figure.Context("Campaign runner: CPU time per 1,000 messages (user + system)",
                    (run.CpuSecondsPerMessage * 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"),
            ];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Measurement> MeasureAsync(string harness, string folder, int rows, CancellationToken cancellationToken)
    {
        var audience = Path.Combine(folder, $"audience-{rows}.csv");
        await File.WriteAllLinesAsync(audience,
            ["Address,FirstName,CartItem", .. Enumerable.Range(0, rows).Select(i => $"+1415{5550000 + i},Name{i},item {i % 7}")], cancellationToken);
        var data = Path.Combine(folder, "data.json");
        await File.WriteAllTextAsync(data,
            """{"templateName":"cart_reminder","language":"en_US","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":"{{User.UserAttributes.CartItem}}"}]}]}""",
            cancellationToken);

        var options = new SandboxOptions { PairRateWindow = null };
        await using var sandbox = await SandboxServer.StartAsync(options, cancellationToken);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            harness, "campaign", audience, "--data", data, "--campaign-id", $"bench-{rows}", "--json",
            "--ledger", Path.Combine(folder, $"ledger-{rows}.db"), "--results", Path.Combine(folder, $"results-{rows}.csv"),
            "--graph-url", sandbox.BaseUrl.AbsoluteUri, "--token", options.AccessToken, "--phone-number-id", options.PhoneNumberId,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SEND_RATE_PER_SECOND"] = Rate.ToString(CultureInfo.InvariantCulture);
        start.Environment["WHATSAPP_THROUGHPUT_PER_SECOND"] = Rate.ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("IDEMPOTENCY_TABLE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        long peakKib = 0;
        double cpuSeconds = 0;
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < RunTimeout)
        {
            if (Status(process.Id) is { } status)
            {
                peakKib = Math.Max(peakKib, status.PeakKib);
                cpuSeconds = status.CpuSeconds;
            }

            await Task.Delay(SampleEvery, cancellationToken);
        }

        if (!process.HasExited)
        {
            process.Kill();
            return new Measurement(0, peakKib, 0, $"{rows} rows took longer than {RunTimeout}");
        }

        var summary = await stdout;
        if (process.ExitCode != 0 || sandbox.Messages.Count != rows)
        {
            return new Measurement(0, peakKib, 0, $"exit {process.ExitCode}, accepted {sandbox.Messages.Count} of {rows}: {(await stderr).Trim()}");
        }

        using var json = JsonDocument.Parse(summary);
        var rate = json.RootElement.GetProperty("messagesPerSecond").GetDouble();
        Console.WriteLine($"campaign: {rows:N0} rows, {rate:0} msg/s, peak RSS {Mib(peakKib)}, CPU {cpuSeconds:0.0} s");
        return new Measurement(rate, peakKib, cpuSeconds / rows, null);
    }

    /// <summary>VmHWM (the peak RSS so far) and CPU time (utime + stime) from /proc; null once the process is gone.</summary>
    private static (long PeakKib, double CpuSeconds)? Status(int pid)
    {
        try
        {
            long peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kib(line);
                }
            }

            // Fields 14 and 15 of /proc/PID/stat, after the parenthesized command name, in clock ticks (100 per second).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (peak, ticks / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long Kib(string line) =>
        long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    private static string Mib(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private sealed record Measurement(double MessagesPerSecond, long PeakKib, double CpuSecondsPerMessage, string? Problem);
}
