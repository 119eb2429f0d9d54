namespace WhatsAppChannel.Benchmarks;

/// <summary>One line of the results table.</summary>
/// <param name="Passed">null for a figure shown for context only (it has no target of its own).</param>
internal sealed record Figure(string Name, string Value, string Target, bool? Passed)
{
    public string Verdict => Passed switch
    {
        true => "pass",
        false => "FAIL",
        null => "",
    };

    public static Figure Context(string name, string value) => new(name, value, "", null);

    public static Figure Missing(string name, string target, string why) => new(name, "not measured: " + why, target, false);
}
