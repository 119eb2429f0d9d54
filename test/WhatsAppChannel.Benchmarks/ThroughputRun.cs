using System.Diagnostics;
using System.Globalization;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The real handler against the sandbox: our defaults vs a sequential run of the same code, alternating in
/// one process; then 1,000 endpoints through one instance at the default rate limit.</summary>
internal static class ThroughputRun
{
    private const int Endpoints = 50;
    private const int DefaultConcurrency = 16;
    private const int RateCap = 80;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int repetitions, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = Latency, PairRateWindow = null }, cancellationToken);
        await using var defaults = Create(sandbox, concurrency: null);
        await using var sequential = Create(sandbox, concurrency: 1);
        var failures = new List<string>();
        var invocation = 0;

        async Task<double> TimeAsync(ChannelFunction function, int endpoints, int firstNumber)
        {
            var payload = EventFactory.Campaign(endpoints, $"throughput-{++invocation}", firstNumber);
            var started = Stopwatch.GetTimestamp();
            await using var response = await function.HandleAsync(
                new MemoryStream(payload), new InvocationContext($"req-{invocation}", DateTimeOffset.UtcNow.AddMinutes(2)), cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var counts = EventFactory.CountStatuses(System.Text.Encoding.UTF8.GetString(((MemoryStream)response).ToArray()));
            if (counts.GetValueOrDefault("sent") != endpoints)
            {
                failures.Add($"invocation {invocation}: {EventFactory.Describe(counts)}");
            }

            return elapsed;
        }

        // Warm-up (JIT, connection pools), then a pause so the token bucket starts full as on an idle instance.
        await TimeAsync(defaults, Endpoints, 0);
        await TimeAsync(sequential, 5, 0);
        await Task.Delay(TimeSpan.FromSeconds(1.2), cancellationToken);

        var parallelRuns = new List<double>();
        var sequentialRuns = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            parallelRuns.Add(await TimeAsync(defaults, Endpoints, 0));
            sequentialRuns.Add(await TimeAsync(sequential, Endpoints, 0));
            Console.WriteLine($"throughput: repetition {i + 1}/{repetitions}: defaults {parallelRuns[^1]:0} ms, sequential {sequentialRuns[^1]:0} ms");
        }

        var parallelMedian = Median.Of(parallelRuns);
        var sequentialMedian = Median.Of(sequentialRuns);
        var speedUp = sequentialMedian / parallelMedian;
        var ideal = Math.Ceiling((double)Endpoints / DefaultConcurrency) * Latency.TotalMilliseconds;

        // 1,000 distinct recipients in 20 events, one invocation after another on one instance, from an idle limiter.
        await Task.Delay(TimeSpan.FromSeconds(1.2), cancellationToken);
        var acceptedBefore = sandbox.Messages.Count;
        var started = Stopwatch.GetTimestamp();
        for (var batch = 0; batch < 20; batch++)
        {
            await TimeAsync(defaults, Endpoints, batch * Endpoints);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var accepted = sandbox.Messages.Count - acceptedBefore;
        var rate = accepted / seconds;

        var figures = new List<Figure>
        {
            new($"50 endpoints, 100 ms API latency: defaults ({DefaultConcurrency} parallel, {RateCap}/s), median of {repetitions}",
                Ms(parallelMedian), $"<= {Ms(1.5 * ideal)} (1.5 x ceil(50/16) x 100 ms)", parallelMedian <= 1.5 * ideal),
            Figure.Context($"50 endpoints, 100 ms API latency: sequential (SEND_CONCURRENCY=1), median of {repetitions}", Ms(sequentialMedian)),
            new("Speed-up of defaults over sequential", speedUp.ToString("0.0", CultureInfo.InvariantCulture) + "x", ">= 10x", speedUp >= 10),
            new("1,000 endpoints (20 events x 50, one after another) at the default rate limit: throughput",
                $"{rate.ToString("0.0", CultureInfo.InvariantCulture)} msg/s ({(rate / RateCap * 100).ToString("0", CultureInfo.InvariantCulture)}% of the cap)", $">= {RateCap * 0.9:0} msg/s (90% of the {RateCap}/s cap)",
                accepted == 1000 && rate >= RateCap * 0.9),
        };
        figures.Add(failures.Count == 0
            ? Figure.Context("Throughput runs: endpoints not sent", "none")
            : new Figure("Throughput runs: endpoints not sent", string.Join("; ", failures.Take(3)), "none", false));
        return figures;
    }

    private static ChannelFunction Create(SandboxServer sandbox, int? concurrency)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FB_BUSINESS_PHONE_ID"] = "100000000000001",
            ["FB_APP_TOKEN"] = "sandbox-token",
            ["WHATSAPP_API_BASE_URL"] = sandbox.BaseUrl.ToString(),
            ["SEND_CONCURRENCY"] = concurrency?.ToString(CultureInfo.InvariantCulture),
        };
        var configuration = FunctionConfiguration.FromLookup(name => variables.GetValueOrDefault(name));
        return ChannelFunction.Create(configuration, TextWriter.Null);
    }

    private static string Ms(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
