namespace WhatsAppChannel.Benchmarks;

/// <summary>Where the repository and the build outputs the runs need are.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding WhatsAppChannel.sln, found by walking up from the app directory (or the working directory).</summary>
    public static string Root { get; } = FindRoot();

    public static string DefaultAotBootstrap => Path.Combine(Root, "artifacts", "publish", "bootstrap-linux-x64", "bootstrap");

    public static string DefaultJitBootstrap => Path.Combine(Root, "src", "WhatsAppChannel.Bootstrap", "bin", "Release", "net10.0", "bootstrap.dll");

    public static string DefaultAotZip => Path.Combine(Root, "artifacts", "whatsapp-channel-x86_64.zip");

    /// <summary>The local harness, built by this project's reference to it in the same configuration.</summary>
    public static string LocalHarness => Path.Combine(Root, "src", "WhatsAppChannel.Local", "bin", "Release", "net10.0", "whatsapp-channel.dll");

    public static string DefaultReport => Path.Combine(Root, "artifacts", "benchmarks.md");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WhatsAppChannel.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
