using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The results table: printed, and written as markdown for README's "Performance" section.</summary>
internal static class ResultReport
{
    public const string Command = "test/WhatsAppChannel.Benchmarks/run.sh";

    public static string ToMarkdown(IReadOnlyList<Figure> figures, TimeSpan duration)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}, {RuntimeInformation.FrameworkDescription}, with `{Command}` (measuring took {duration.TotalMinutes:0.0} min after the builds).");
        text.AppendLine();
        text.AppendLine("| Figure | Value | Target | Result |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var figure in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(figure.Name)} | {Cell(figure.Value)} | {Cell(figure.Target)} | {figure.Verdict} |");
        }

        return text.ToString();
    }

    public static void Print(IReadOnlyList<Figure> figures)
    {
        var nameWidth = Math.Min(100, figures.Max(f => f.Name.Length));
        var valueWidth = Math.Min(50, figures.Max(f => f.Value.Length));
        var targetWidth = figures.Max(f => f.Target.Length);
        Console.WriteLine();
        Console.WriteLine($"{"Figure".PadRight(nameWidth)}  {"Value".PadRight(valueWidth)}  {"Target".PadRight(targetWidth)}  Result");
        Console.WriteLine(new string('-', nameWidth + valueWidth + targetWidth + 12));
        foreach (var figure in figures)
        {
            Console.WriteLine($"{figure.Name.PadRight(nameWidth)}  {figure.Value.PadRight(valueWidth)}  {figure.Target.PadRight(targetWidth)}  {figure.Verdict}");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Trim();

    private static string Machine()
    {
        var cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? cpu;
        }

        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
    }
}
