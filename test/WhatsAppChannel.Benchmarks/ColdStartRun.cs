using System.Diagnostics;
using System.Globalization;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>Process start to first response for the AOT bootstrap and the same code JIT-compiled, alternating.</summary>
internal static class ColdStartRun
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<Figure>> RunAsync(string aotPath, string jitPath, int runs, CancellationToken cancellationToken)
    {
        const string Name = "Cold start, process start -> first response (1-endpoint event)";
        if (!File.Exists(aotPath) || !File.Exists(jitPath))
        {
            var missing = File.Exists(aotPath) ? jitPath : aotPath;
            return [Figure.Missing(Name, "AOT >= 3x faster than JIT", $"{missing} does not exist (run.sh builds it)")];
        }

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null }, cancellationToken);
        var aot = new List<double>();
        var jit = new List<double>();
        var failures = new List<string>();

        // One untimed start of each brings the files into the page cache, as on a warm Lambda host.
        await MeasureAsync(aotPath, sandbox, 0, failures);
        await MeasureAsync(jitPath, sandbox, 0, failures);
        for (var i = 1; i <= runs; i++)
        {
            aot.Add(await MeasureAsync(aotPath, sandbox, i, failures));
            jit.Add(await MeasureAsync(jitPath, sandbox, i, failures));
            Console.WriteLine($"coldstart: run {i}/{runs}: AOT {aot[^1]:0} ms, JIT {jit[^1]:0} ms");
        }

        var aotMedian = Median.Of(aot);
        var jitMedian = Median.Of(jit);
        var ratio = jitMedian / aotMedian;
        var figures = new List<Figure>
        {
            Figure.Context($"{Name}: AOT bootstrap, median of {runs}", Ms(aotMedian)),
            Figure.Context($"{Name}: JIT (dotnet bootstrap.dll), median of {runs}", Ms(jitMedian)),
            new("Cold start: AOT speed-up over JIT", ratio.ToString("0.0", CultureInfo.InvariantCulture) + "x", ">= 3x", failures.Count == 0 && ratio >= 3),
        };
        if (failures.Count > 0)
        {
            figures.Add(new Figure("Cold start runs that failed", string.Join("; ", failures.Take(3)), "none", false));
        }

        return figures;
    }

    private static async Task<double> MeasureAsync(string path, SandboxServer sandbox, int run, List<string> failures)
    {
        // A fresh Runtime API per start: a killed process's pending next call can never take the next run's event.
        await using var runtimeApi = await RuntimeApiStandIn.StartAsync();
        var response = runtimeApi.InvokeAsync(EventFactory.Campaign(1, $"coldstart-{Path.GetFileName(path)}-{run}", firstNumber: run), DateTimeOffset.UtcNow.AddMinutes(1));
        await using var process = BootstrapProcess.Start(path, BootstrapEnvironment.For(runtimeApi, sandbox));
        var first = await Task.WhenAny(response, runtimeApi.InitError, Task.Delay(ResponseTimeout));
        if (first != response)
        {
            failures.Add($"{Path.GetFileName(path)} gave no response ({(first == runtimeApi.InitError ? "init error" : "timeout")}): {process.ErrorTail}");
            return double.NaN;
        }

        var post = await response;
        if (post.Kind != RuntimeApiPostKind.Response)
        {
            failures.Add($"{Path.GetFileName(path)} reported an error: {post.Body}");
        }
        else if (EventFactory.CountStatuses(post.Body) is var counts && counts.GetValueOrDefault("sent") != 1)
        {
            failures.Add($"{Path.GetFileName(path)}: {EventFactory.Describe(counts)}");
        }

        return Stopwatch.GetElapsedTime(process.StartedAt, post.ReceivedTimestamp).TotalMilliseconds;
    }

    private static string Ms(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
