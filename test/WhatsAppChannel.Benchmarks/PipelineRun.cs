using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace WhatsAppChannel.Benchmarks;

/// <summary>Runs <see cref="PipelineBenchmarks"/> with BenchmarkDotNet and turns the summary into figures.</summary>
internal static class PipelineRun
{
    private const double TargetNanoseconds = 20_000;
    private const double TargetBytes = 4 * 1024;

    public static IReadOnlyList<Figure> Run()
    {
        // In-process and short: building a separate benchmark project would cost a minute of the 10-minute budget,
        // and 3 warm-up + 7 measured iterations give stable medians for a workload this size.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(7)
            .WithId("ShortInProcess");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(RepositoryPaths.Root, "artifacts", "BenchmarkDotNet"))
            .WithOptions(ConfigOptions.DisableLogFile);

        var summary = BenchmarkRunner.Run<PipelineBenchmarks>(config);
        var figures = new List<Figure>();
        foreach (var name in new[] { nameof(PipelineBenchmarks.ParseAndPlan), nameof(PipelineBenchmarks.ParseOnly), nameof(PipelineBenchmarks.PlanOnly) })
        {
            var report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == name);
            var isTarget = name == nameof(PipelineBenchmarks.ParseAndPlan);
            var label = isTarget
                ? "Pipeline per endpoint (parse 50-endpoint event, plan, personalize, serialize)"
                : name == nameof(PipelineBenchmarks.ParseOnly) ? "  of which parse, per endpoint" : "  of which plan + personalize + serialize, per endpoint";
            if (report?.ResultStatistics is not { } statistics)
            {
                figures.Add(Figure.Missing(label + ": time", isTarget ? "<= 20 us" : "", "BenchmarkDotNet reported no result"));
                continue;
            }

            var nanoseconds = statistics.Median;
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            var time = (nanoseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " us";
            var allocated = (bytes / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " KB";
            if (isTarget)
            {
                figures.Add(new Figure(label + ": time", time, "<= 20 us", nanoseconds <= TargetNanoseconds));
                figures.Add(new Figure(label + ": allocated", allocated, "<= 4 KB", bytes >= 0 && bytes <= TargetBytes));
            }
            else
            {
                figures.Add(Figure.Context(label, time + ", " + allocated));
            }
        }

        return figures;
    }
}
