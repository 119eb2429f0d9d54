using System.Text.RegularExpressions;

namespace WhatsAppChannel.Tests;

/// <summary>The folders of src/WhatsAppChannel follow the data flow: a folder uses only the folders listed above it in
/// docs/architecture.md, so the order documented there is the order the code keeps (and there can be no cycle).</summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "src", "WhatsAppChannel");

    [GeneratedRegex(@"^\| `(\w+)/` \|", RegexOptions.Multiline)]
    private static partial Regex FolderRow();

    // `using WhatsAppChannel.X;`, a qualified `WhatsAppChannel.X.Type`, or `X.Type` relative to the root namespace.
    [GeneratedRegex(@"(?:^\s*using\s+(?:static\s+)?WhatsAppChannel\.(\w+)|(?<![\w.])(?:WhatsAppChannel\.)?(\w+)\.[A-Z])", RegexOptions.Multiline)]
    private static partial Regex FolderReference();

    private static List<string> DocumentedOrder() =>
        FolderRow().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md")))
            .Select(m => m.Groups[1].Value)
            .ToList();

    [Fact]
    public void Every_folder_is_in_the_documented_order()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order();

        Assert.Equal(folders, DocumentedOrder().Order());
    }

    [Fact]
    public void No_folder_uses_a_folder_below_it()
    {
        var order = DocumentedOrder();
        var violations = new List<string>();
        foreach (var folder in order)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = string.Join('\n', File.ReadLines(file).Where(line => !line.TrimStart().StartsWith("namespace ", StringComparison.Ordinal)));
                foreach (Match match in FolderReference().Matches(code))
                {
                    var used = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                    if (order.IndexOf(used) > order.IndexOf(folder))
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)} uses {used}/");
                    }
                }
            }
        }

        Assert.Empty(violations);
    }
}
