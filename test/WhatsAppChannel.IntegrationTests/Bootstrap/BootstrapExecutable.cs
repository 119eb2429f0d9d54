using System.Diagnostics;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The bootstrap under test: the published AOT binary named by BOOTSTRAP_PATH (CI's AOT step; absolute or
/// relative to the repository root), else the
/// JIT build of src/WhatsAppChannel.Bootstrap (net10.0), built once per test run so it is never stale.</summary>
internal static class BootstrapExecutable
{
    public const string PathVariable = "BOOTSTRAP_PATH";

    private static readonly Lazy<Task<string>> Executable = new(ResolveAsync);

    public static bool IsNativeAot => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PathVariable));

    /// <summary>Starts the bootstrap under test with only the given function variables set.</summary>
    public static async Task<BootstrapProcess> StartAsync(IReadOnlyDictionary<string, string?> environment) =>
        BootstrapProcess.Start(await Executable.Value, environment);

    private static async Task<string> ResolveAsync()
    {
        var published = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(published))
        {
            // A relative path is taken from the repository root, as CI passes it.
            var full = Path.GetFullPath(published, RepositoryRoot.Path);
            return File.Exists(full) ? full : throw new FileNotFoundException($"{PathVariable} names no file: {full}", full);
        }

        var root = RepositoryRoot.Path;
        // Same configuration as this test assembly (bin/<Configuration>/net10.0/).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var project = Path.Combine(root, "src", "WhatsAppChannel.Bootstrap", "WhatsAppChannel.Bootstrap.csproj");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

        var build = new ProcessStartInfo(dotnet)
        {
            ArgumentList = { "build", project, "-f", "net10.0", "-c", configuration, "-nologo", "-v", "q", "-nodeReuse:false" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        // The test host's MSBuild variables would point the child build at the wrong SDK pieces.
        foreach (var name in build.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            build.Environment.Remove(name);
        }

        using var process = Process.Start(build)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the bootstrap failed:\n{await output}\n{await errors}");
        }

        var dll = Path.Combine(root, "src", "WhatsAppChannel.Bootstrap", "bin", configuration, "net10.0", "bootstrap.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The bootstrap build left no bootstrap.dll.", dll);
    }
}
