using System.Globalization;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>Peak and steady-state RSS of the AOT bootstrap over many 50-endpoint invocations against the sandbox.
/// RSS is a sawtooth (garbage builds up between collections), so growth compares the lowest points, after each
/// collection, of the last third of the run with those of the middle third: a leak raises the floor, garbage does not.
/// The first third is warm-up (connections, caches, JIT-free but lazily built tables).</summary>
internal static class MemoryRun
{
    private const int Endpoints = 50;
    private const long TargetPeakKib = 64 * 1024;

    /// <summary>The floor itself moves by about 2 MB from one stretch to the next (30 to 34 MB over 9,000 invocations,
    /// without a trend); 3 MB over the last third is about 60 bytes per endpoint at the default 3,000 invocations.</summary>
    private const long GrowthToleranceKib = 3 * 1024;

    /// <summary>Sends are not rate-limited here: 50,000 messages at the default 80/s would take over ten minutes.</summary>
    private const int UnlimitedRate = 100_000;

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<Figure>> RunAsync(string aotPath, int invocations, CancellationToken cancellationToken)
    {
        invocations = Math.Max(invocations, 30); // three thirds with something in each
        var name = $"Peak RSS (VmHWM) of the AOT bootstrap over {invocations:N0} invocations x {Endpoints} endpoints";
        if (!File.Exists(aotPath))
        {
            return [Figure.Missing(name, "<= 64 MB", $"{aotPath} does not exist (run.sh builds it)")];
        }

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null }, cancellationToken);
        await using var runtimeApi = await RuntimeApiStandIn.StartAsync();
        await using var process = BootstrapProcess.Start(aotPath, BootstrapEnvironment.For(runtimeApi, sandbox, UnlimitedRate));
        var rss = new List<long>(invocations);
        var notSent = 0;
        string? firstProblem = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 1; i <= invocations; i++)
        {
            var response = runtimeApi.InvokeAsync(EventFactory.Campaign(Endpoints, $"memory-{i}"), DateTimeOffset.UtcNow.AddMinutes(1));
            var first = await Task.WhenAny(response, runtimeApi.InitError, Task.Delay(ResponseTimeout, cancellationToken));
            if (first != response || process.HasExited)
            {
                return [Figure.Missing(name, "<= 64 MB", $"invocation {i} got no response: {process.ErrorTail}")];
            }

            var post = await response;
            var sent = post.Kind != RuntimeApiPostKind.Response ? 0 : EventFactory.CountStatuses(post.Body).GetValueOrDefault("sent");
            if (sent != Endpoints)
            {
                notSent += Endpoints - sent;
                firstProblem ??= $"invocation {i}: " + post.Body[..Math.Min(300, post.Body.Length)];
            }

            rss.Add(process.ReadMemory().ResidentKib);
            if (i % 500 == 0)
            {
                Console.WriteLine($"memory: {i}/{invocations} invocations, VmRSS {Mib(rss[^1])}, lowest of the last 500 {Mib(rss.TakeLast(500).Min())}");
            }
        }

        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var peakKib = process.ReadMemory().PeakKib;
        var third = invocations / 3;
        var middleFloor = rss.Skip(third).Take(third).Min();
        var lastFloor = rss.TakeLast(third).Min();
        var growth = lastFloor - middleFloor;
        var figures = new List<Figure>
        {
            new(name, Mib(peakKib), "<= 64 MB", peakKib <= TargetPeakKib),
            new($"RSS growth, lowest VmRSS of the last {third:N0} invocations vs the {third:N0} before",
                $"{Mib(growth)} ({Mib(middleFloor)} -> {Mib(lastFloor)})", $"none (<= {Mib(GrowthToleranceKib)})", growth <= GrowthToleranceKib),
            Figure.Context("Memory run: invocations per second (latency 0, rate limit off)",
                (invocations / seconds).ToString("0", CultureInfo.InvariantCulture)),
        };
        figures.Add(notSent == 0
            ? Figure.Context("Memory run: endpoints not sent", "none")
            : new Figure("Memory run: endpoints not sent", $"{notSent}; first: {firstProblem}", "none", false));
        return figures;
    }

    private static string Mib(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
