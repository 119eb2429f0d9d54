using System.Diagnostics;
using System.Globalization;
using WhatsAppChannel.Benchmarks;

// Usage: WhatsAppChannel.Benchmarks [all|pipeline|throughput|instances|coldstart|memory|size|campaign ...]
//   [--aot PATH] [--jit PATH] [--zip PATH] [--out FILE] [--repetitions N] [--runs N] [--invocations N]
//   [--instances 1,4,8,16] [--messages N]
// Exit 0 when every target is met, 1 when one is missed, 2 for bad arguments.
string[] knownModes = ["all", "pipeline", "throughput", "instances", "coldstart", "memory", "size", "campaign"];
var modes = new HashSet<string>(StringComparer.Ordinal);
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else if (knownModes.Contains(args[i]))
    {
        modes.Add(args[i]);
    }
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'; modes: {string.Join(", ", knownModes)}; options: --aot --jit --zip --out --repetitions --runs --invocations --instances --messages");
        return 2;
    }
}

if (modes.Count == 0 || modes.Contains("all"))
{
    modes = [.. knownModes.Skip(1)];
}

string Option(string name, string variable, string fallback) =>
    options.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(variable) ?? fallback;

int Count(string name, int fallback) =>
    options.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

var aot = Path.GetFullPath(Option("aot", "BENCH_AOT_BOOTSTRAP", RepositoryPaths.DefaultAotBootstrap));
var jit = Path.GetFullPath(Option("jit", "BENCH_JIT_BOOTSTRAP", RepositoryPaths.DefaultJitBootstrap));
var zip = Path.GetFullPath(Option("zip", "BENCH_AOT_ZIP", RepositoryPaths.DefaultAotZip));
var output = Path.GetFullPath(Option("out", "BENCH_REPORT", RepositoryPaths.DefaultReport));

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var started = Stopwatch.GetTimestamp();
var figures = new List<Figure>();
if (modes.Contains("pipeline"))
{
    figures.AddRange(PipelineRun.Run());
}

if (modes.Contains("throughput"))
{
    figures.AddRange(await ThroughputRun.RunAsync(Count("repetitions", 5), stop.Token));
}

if (modes.Contains("instances"))
{
    var counts = options.TryGetValue("instances", out var list)
        ? list.Split(',').Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture)).ToList()
        : [1, 4, 8, 16];
    figures.AddRange(await InstancesRun.RunAsync(aot, counts, Count("messages", 1600), stop.Token));
    figures.AddRange(await ConnectionsRun.RunAsync(stop.Token));
}

if (modes.Contains("coldstart"))
{
    figures.AddRange(await ColdStartRun.RunAsync(aot, jit, Count("runs", 7), stop.Token));
}

if (modes.Contains("memory"))
{
    figures.AddRange(await MemoryRun.RunAsync(aot, Count("invocations", 3000), stop.Token));
}

if (modes.Contains("size"))
{
    figures.AddRange(PackageSizeCheck.Run(zip, aot));
}

if (modes.Contains("campaign"))
{
    figures.AddRange(await LocalCampaignRun.RunAsync(RepositoryPaths.LocalHarness, stop.Token));
}

ResultReport.Print(figures);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, ResultReport.ToMarkdown(figures, Stopwatch.GetElapsedTime(started)));
Console.WriteLine();
Console.WriteLine($"Markdown table: {output}");
return figures.Any(f => f.Passed == false) ? 1 : 0;
