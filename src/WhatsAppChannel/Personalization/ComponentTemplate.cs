using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Pinpoint;

namespace WhatsAppChannel.Personalization;

/// <summary>The template components of <c>Data.params</c>, compiled once per invocation and rendered per endpoint.
/// Everything but string values passes through unchanged.</summary>
internal sealed class ComponentTemplate
{
    private readonly Node _root;
    private readonly byte[]? _unpersonalized;

    private ComponentTemplate(Node root, byte[]? unpersonalized)
    {
        _root = root;
        _unpersonalized = unpersonalized;
    }

    public bool IsPersonalized => _unpersonalized is null;

    /// <exception cref="InvalidEventException">A string holds a placeholder that is not closed.</exception>
    public static ComponentTemplate Compile(JsonElement components)
    {
        var root = Node.From(components, "Data.params", isTextParameter: false);
        if (root.HasPlaceholders || root.HasUnsendableText)
        {
            return new ComponentTemplate(root, null);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            components.WriteTo(writer);
        }

        return new ComponentTemplate(root, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Writes one endpoint's components JSON to <paramref name="writer"/> (which the caller reuses across
    /// endpoints: nothing is allocated but the personalized strings).</summary>
    /// <returns>null when written; else the skip reason, and the writer holds a partial value to discard.</returns>
    public string? RenderTo<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(lookup);
        if (_unpersonalized is not null)
        {
            writer.WriteRawValue(_unpersonalized, skipInputValidation: true);
            return null;
        }

        return _root.Write(writer, state, lookup);
    }

    private abstract class Node
    {
        public abstract bool HasPlaceholders { get; }

        /// <summary>A literal text parameter WhatsApp would refuse: every endpoint is skipped.</summary>
        public abstract bool HasUnsendableText { get; }

        /// <returns>null when written, else the skip reason.</returns>
        public abstract string? Write<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup);

        /// <param name="path">Where <paramref name="element"/> is, for error messages.</param>
        /// <param name="isTextParameter">The element is the <c>text</c> of a <c>{"type": "text"}</c> parameter.</param>
        public static Node From(JsonElement element, string path, bool isTextParameter) => element.ValueKind switch
        {
            JsonValueKind.Object => FromObject(element, path),
            JsonValueKind.Array => new ArrayNode([.. element.EnumerateArray().Select((item, i) =>
                From(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), isTextParameter: false))]),
            JsonValueKind.String => FromString(element.GetString()!, path, isTextParameter),
            _ => new RawNode(element.Clone()),
        };

        private static ObjectNode FromObject(JsonElement element, string path)
        {
            var isTextParameter = element.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("text"u8);
            return new ObjectNode([.. element.EnumerateObject().Select(p =>
                (JsonEncodedText.Encode(p.Name), From(p.Value, path + "." + p.Name, isTextParameter && p.NameEquals("text"u8))))]);
        }

        private static StringNode FromString(string value, string path, bool isTextParameter)
        {
            var text = PlaceholderText.Parse(value);
            if (text.Unclosed is { } unclosed)
            {
                // Property names are the campaign author's: keep the message on one line whatever they hold.
                var where = string.Concat(path.Select(c => char.IsControl(c) ? ' ' : c));
                throw new InvalidEventException($"{where} has an unclosed placeholder '{unclosed}': write {{{{Path}}}} or {{{{Path|fallback}}}}");
            }

            return new StringNode(text, isTextParameter);
        }
    }

    private sealed class ObjectNode((JsonEncodedText Name, Node Value)[] properties) : Node
    {
        public override bool HasPlaceholders { get; } = properties.Any(p => p.Value.HasPlaceholders);

        public override bool HasUnsendableText { get; } = properties.Any(p => p.Value.HasUnsendableText);

        public override string? Write<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WritePropertyName(name);
                if (value.Write(writer, state, lookup) is { } reason)
                {
                    return reason;
                }
            }

            writer.WriteEndObject();
            return null;
        }
    }

    private sealed class ArrayNode(Node[] items) : Node
    {
        public override bool HasPlaceholders { get; } = items.Any(i => i.HasPlaceholders);

        public override bool HasUnsendableText { get; } = items.Any(i => i.HasUnsendableText);

        public override string? Write<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup)
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                if (item.Write(writer, state, lookup) is { } reason)
                {
                    return reason;
                }
            }

            writer.WriteEndArray();
            return null;
        }
    }

    private sealed class StringNode(PlaceholderText text, bool isTextParameter) : Node
    {
        // Literal text is escaped once, not once per endpoint.
        private readonly JsonEncodedText? _literal = text.HasPlaceholders ? null : JsonEncodedText.Encode(text.Text);

        public override bool HasPlaceholders => text.HasPlaceholders;

        public override bool HasUnsendableText { get; } = isTextParameter && !text.HasPlaceholders && !TextParameter.IsSendable(text.Text);

        public override string? Write<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup)
        {
            if (HasUnsendableText)
            {
                return SkipReasons.InvalidParameter;
            }

            if (_literal is { } literal)
            {
                writer.WriteStringValue(literal);
                return null;
            }

            var resolution = text.Resolve(state, lookup);
            if (!resolution.IsResolved)
            {
                return resolution.SkipReason;
            }

            if (isTextParameter && !TextParameter.IsSendable(resolution.Value!))
            {
                return SkipReasons.InvalidParameter;
            }

            writer.WriteStringValue(resolution.Value);
            return null;
        }
    }

    private sealed class RawNode(JsonElement value) : Node
    {
        public override bool HasPlaceholders => false;

        public override bool HasUnsendableText => false;

        public override string? Write<TState>(Utf8JsonWriter writer, TState state, Func<TState, string, string?> lookup)
        {
            value.WriteTo(writer);
            return null;
        }
    }
}
