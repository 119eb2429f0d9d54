namespace WhatsAppChannel.TestSupport;

/// <summary>The folder holding WhatsAppChannel.sln: samples, the test tools and build outputs are found from it.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "WhatsAppChannel.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("WhatsAppChannel.sln was not found above " + AppContext.BaseDirectory);
    }
}
