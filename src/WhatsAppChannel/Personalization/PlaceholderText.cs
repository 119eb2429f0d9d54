using System.Globalization;
using System.Runtime.CompilerServices;

namespace WhatsAppChannel.Personalization;

/// <summary>A string from <c>params</c> split once into literal text and <c>{{Path}}</c> / <c>{{Path|fallback}}</c>
/// placeholders, then resolved per endpoint. Parsing and resolving never throw, whatever the text.</summary>
internal sealed class PlaceholderText
{
    private readonly Segment[] _segments;

    private PlaceholderText(string text, Segment[] segments, string? unclosed)
    {
        Text = text;
        _segments = segments;
        Unclosed = unclosed;
    }

    public string Text { get; }

    /// <summary>The part of <see cref="Text"/> around a <c>{{</c> that is never closed (or a <c>}}</c> after a path
    /// that was never opened); null when there is none. Such text would otherwise reach every recipient raw.</summary>
    public string? Unclosed { get; }

    public bool HasPlaceholders => _segments.Length > 1 || (_segments.Length == 1 && _segments[0].IsPlaceholder);

    public static PlaceholderText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<Segment>();
        string? unclosed = null;
        var literalStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            unclosed ??= StrayClose(text, position, open < 0 ? text.Length : open);
            if (open < 0)
            {
                break;
            }

            // A "{{" inside a placeholder means the one before it was not closed: "{{A} {{B}}".
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            var nested = close < 0 ? -1 : text.IndexOf("{{", open + 2, close - open - 2, StringComparison.Ordinal);
            if (close < 0 || nested >= 0)
            {
                unclosed ??= Excerpt(text, open, (nested < 0 ? text.Length : nested) - open);
                break;
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

        return new PlaceholderText(text, [.. segments], unclosed);
    }

    /// <summary>The excerpt ending in a "}}" within [start, end) that follows path-like text (a letter, digit, '_',
    /// '.' or '|', as in "{User.FirstName}}" or "{Attributes.Item|order}}"); null when there is none.</summary>
    private static string? StrayClose(string text, int start, int end)
    {
        for (var close = text.IndexOf("}}", start, end - start, StringComparison.Ordinal);
             close >= 0;
             close = close + 2 < end ? text.IndexOf("}}", close + 2, end - close - 2, StringComparison.Ordinal) : -1)
        {
            if (close > start && (char.IsAsciiLetterOrDigit(text[close - 1]) || text[close - 1] is '_' or '.' or '|'))
            {
                var brace = text.LastIndexOf('{', close - 1, close - start);
                var from = Math.Max(Math.Max(start, close - 58), brace);
                return Excerpt(text, from, close + 2 - from);
            }
        }

        return null;
    }

    /// <summary>At most 60 characters of <paramref name="text"/>, on one line, for the error message.</summary>
    private static string Excerpt(string text, int start, int length)
    {
        var source = text.AsSpan(start, Math.Min(length, 60));
        var excerpt = source.ToArray();
        for (var i = 0; i < excerpt.Length; i++)
        {
            // A pair cut in half at either end would make the message unwritable as JSON.
            var cutPair = (char.IsHighSurrogate(source[i]) && (i + 1 == source.Length || !char.IsLowSurrogate(source[i + 1])))
                || (char.IsLowSurrogate(source[i]) && (i == 0 || !char.IsHighSurrogate(source[i - 1])));
            if (char.IsControl(source[i]) || cutPair)
            {
                excerpt[i] = ' ';
            }
        }

        return new string(excerpt);
    }

    /// <summary>Resolves every placeholder with <paramref name="lookup"/>, the state passed in so that a per-endpoint
    /// call needs no closure.</summary>
    public TextResolution Resolve<TState>(TState state, Func<TState, string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (!HasPlaceholders)
        {
            return TextResolution.Resolved(Text);
        }

        if (_segments.Length == 1)
        {
            return ResolveWhole(_segments[0], state, lookup);
        }

        // Built on the stack: only the finished text is allocated (per endpoint, per parameter).
        var builder = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        string? fallbackPath = null;
        foreach (var segment in _segments)
        {
            if (!segment.IsPlaceholder)
            {
                builder.AppendFormatted(segment.Text);
                continue;
            }

            if (segment.Path.Length == 0)
            {
                return TextResolution.Invalid("{{" + segment.Text + "}}");
            }

            var value = lookup(state, segment.Path);
            if (!string.IsNullOrWhiteSpace(value))
            {
                builder.AppendFormatted(value);
            }
            else if (segment.Fallback is null)
            {
                return TextResolution.Missing(segment.Path);
            }
            else
            {
                builder.AppendFormatted(segment.Fallback);
                fallbackPath ??= segment.Path;
            }
        }

        // WhatsApp rejects blank parameters: fallbacks that leave nothing but white space are a missing value.
        var text = builder.ToStringAndClear();
        return string.IsNullOrWhiteSpace(text)
            ? TextResolution.Missing(fallbackPath ?? string.Empty)
            : TextResolution.Resolved(text);
    }

    /// <summary>The text is one placeholder: its value (or fallback) is the result as is, without a copy.</summary>
    private static TextResolution ResolveWhole<TState>(Segment placeholder, TState state, Func<TState, string, string?> lookup)
    {
        if (placeholder.Path.Length == 0)
        {
            return TextResolution.Invalid("{{" + placeholder.Text + "}}");
        }

        var value = lookup(state, placeholder.Path);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return TextResolution.Resolved(value);
        }

        return !string.IsNullOrWhiteSpace(placeholder.Fallback)
            ? TextResolution.Resolved(placeholder.Fallback)
            : TextResolution.Missing(placeholder.Path);
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
