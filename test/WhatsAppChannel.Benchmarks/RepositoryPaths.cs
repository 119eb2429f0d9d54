namespace WhatsAppChannel.Benchmarks;

/// <summary>Where the repository and the build outputs the runs need are.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string DefaultAotBootstrap => Path.Combine(Root, "artifacts", "publish", "bootstrap-linux-x64", "bootstrap");

    public static string DefaultJitBootstrap => Path.Combine(Root, "src", "WhatsAppChannel.Bootstrap", "bin", "Release", "net10.0", "bootstrap.dll");

    public static string DefaultAotZip => Path.Combine(Root, "artifacts", "whatsapp-channel-x86_64.zip");

    /// <summary>The local harness, built by this project's reference to it in the same configuration.</summary>
    public static string LocalHarness => Path.Combine(Root, "src", "WhatsAppChannel.Local", "bin", "Release", "net10.0", "whatsapp-channel.dll");

    public static string DefaultReport => Path.Combine(Root, "artifacts", "benchmarks.md");
}
