using System.Globalization;
using System.Text.RegularExpressions;

namespace WhatsAppChannel.Sandbox;

/// <summary>Template text with numbered <c>{{n}}</c> placeholders, as WhatsApp templates declare them.</summary>
internal sealed partial class PlaceholderText
{
    private PlaceholderText(string text, int parameterCount)
    {
        Text = text;
        ParameterCount = parameterCount;
    }

    public string Text { get; }

    public int ParameterCount { get; }

    /// <summary>Parses text whose placeholders must be numbered 1..n without gaps (WhatsApp rejects other templates).</summary>
    public static PlaceholderText Parse(string text, string where)
    {
        var numbers = new SortedSet<int>();
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            numbers.Add(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }

        var expected = 1;
        foreach (var number in numbers)
        {
            if (number != expected)
            {
                throw new InvalidDataException($"{where}: placeholders must be numbered {{{{1}}}}..{{{{n}}}} without gaps (found {{{{{number}}}}}).");
            }

            expected++;
        }

        return new PlaceholderText(text, numbers.Count);
    }

    public string Render(IReadOnlyList<string> values) =>
        PlaceholderPattern().Replace(Text, match =>
        {
            var index = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) - 1;
            return index < values.Count ? values[index] : match.Value;
        });

    [GeneratedRegex(@"\{\{\s*(\d{1,3})\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
