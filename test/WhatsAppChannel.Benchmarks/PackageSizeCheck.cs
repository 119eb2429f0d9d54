using System.Globalization;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The deployable AOT zip must stay small: Lambda loads it on every cold start.</summary>
internal static class PackageSizeCheck
{
    private const long TargetBytes = 10L * 1024 * 1024;

    public static IReadOnlyList<Figure> Run(string zipPath, string aotPath)
    {
        const string Name = "AOT deployment package (whatsapp-channel-x86_64.zip)";
        if (!File.Exists(zipPath))
        {
            return [Figure.Missing(Name, "<= 10 MB", $"{zipPath} does not exist (run.sh builds it)")];
        }

        var figures = new List<Figure> { new(Name, Mib(new FileInfo(zipPath).Length), "<= 10 MB", new FileInfo(zipPath).Length <= TargetBytes) };
        if (File.Exists(aotPath))
        {
            figures.Add(Figure.Context("  unzipped bootstrap executable", Mib(new FileInfo(aotPath).Length)));
        }

        return figures;
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MB";
}
