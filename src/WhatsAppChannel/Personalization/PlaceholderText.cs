using System.Text;

namespace WhatsAppChannel.Personalization;

/// <summary>A string from <c>params</c> split once into literal text and <c>{{Path}}</c> / <c>{{Path|fallback}}</c>
/// placeholders, then resolved per endpoint. Parsing and resolving never throw, whatever the text.</summary>
public sealed class PlaceholderText
{
    private readonly Segment[] _segments;

    private PlaceholderText(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public bool HasPlaceholders => _segments.Length > 1 || (_segments.Length == 1 && _segments[0].IsPlaceholder);

    public static PlaceholderText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<Segment>();
        var literalStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break; // An unclosed "{{" is literal text.
            }

            if (open > literalStart)
            {
                segments.Add(Segment.Literal(text[literalStart..open]));
            }

            segments.Add(Segment.Placeholder(text[(open + 2)..close]));
            position = literalStart = close + 2;
        }

        if (literalStart < text.Length || segments.Count == 0)
        {
            segments.Add(Segment.Literal(text[literalStart..]));
        }

        return new PlaceholderText(text, [.. segments]);
    }

    /// <summary>Fills the placeholders with <paramref name="lookup"/>'s values (null or blank = no value).</summary>
    public TextResolution Resolve(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (!HasPlaceholders)
        {
            return TextResolution.Resolved(Text);
        }

        var builder = new StringBuilder(Text.Length + 16);
        string? emptyFallbackPath = null;
        foreach (var segment in _segments)
        {
            if (!segment.IsPlaceholder)
            {
                builder.Append(segment.Text);
                continue;
            }

            if (segment.Path.Length == 0)
            {
                return TextResolution.Invalid("{{" + segment.Text + "}}");
            }

            var value = lookup(segment.Path);
            if (!string.IsNullOrWhiteSpace(value))
            {
                builder.Append(value);
            }
            else if (segment.Fallback is null)
            {
                return TextResolution.Missing(segment.Path);
            }
            else
            {
                builder.Append(segment.Fallback);
                emptyFallbackPath ??= segment.Fallback.Length == 0 ? segment.Path : null;
            }
        }

        // WhatsApp rejects empty parameters; an empty fallback that leaves nothing is a missing value.
        return builder.Length == 0 || (emptyFallbackPath is not null && string.IsNullOrWhiteSpace(builder.ToString()))
            ? TextResolution.Missing(emptyFallbackPath ?? string.Empty)
            : TextResolution.Resolved(builder.ToString());
    }

    private readonly record struct Segment(bool IsPlaceholder, string Text, string Path, string? Fallback)
    {
        public static Segment Literal(string text) => new(false, text, string.Empty, null);

        public static Segment Placeholder(string inner)
        {
            var bar = inner.IndexOf('|', StringComparison.Ordinal);
            return bar < 0
                ? new(true, inner, inner.Trim(), null)
                : new(true, inner, inner[..bar].Trim(), inner[(bar + 1)..]);
        }
    }
}
