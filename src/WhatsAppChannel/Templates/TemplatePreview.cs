using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WhatsAppChannel.Templates;

/// <summary>The text a recipient reads: the template's texts with a send's parameters in place, one part per line
/// (header, body, footer, then each button as <c>[text]</c> or <c>[text] url</c>).</summary>
internal static class TemplatePreview
{
    /// <param name="components">The <c>template.components</c> of a send's request body.</param>
    public static string Render(TemplateTexts texts, JsonElement components)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var lines = new List<string>();
        if (texts.Header is { } header)
        {
            lines.Add(Fill(header, Parameters(components, "header", null)));
        }
        else if (texts.HeaderFormat is { } format)
        {
            lines.Add($"[{format.ToUpperInvariant()}]");
        }

        lines.Add(Fill(texts.Body, Parameters(components, "body", null)));
        if (texts.Footer is { } footer)
        {
            lines.Add(footer);
        }

        for (var i = 0; i < texts.Buttons.Count; i++)
        {
            var button = texts.Buttons[i];
            lines.Add(button.Url is { } url ? $"[{button.Text}] {Fill(url, Parameters(components, "button", i))}" : $"[{button.Text}]");
        }

        return string.Join('\n', lines);
    }

    /// <summary>Replaces <c>{{1}}</c> by the first parameter, <c>{{name}}</c> by the one with that
    /// <c>parameter_name</c>; a placeholder without a parameter stays as it is.</summary>
    private static string Fill(string text, List<(string? Name, string Text)> parameters)
    {
        var result = new StringBuilder(text.Length);
        var position = 0;
        while (text.IndexOf("{{", position, StringComparison.Ordinal) is var start and >= 0
            && text.IndexOf("}}", start + 2, StringComparison.Ordinal) is var end and >= 0)
        {
            result.Append(text, position, start - position);
            var key = text[(start + 2)..end].Trim();
            var value = int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number >= 1 && number <= parameters.Count ? parameters[number - 1].Text : null
                : parameters.Find(p => p.Name == key).Text;
            result.Append(value ?? text[start..(end + 2)]);
            position = end + 2;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private static List<(string? Name, string Text)> Parameters(JsonElement components, string type, int? buttonIndex)
    {
        var found = new List<(string?, string)>();
        if (components.ValueKind != JsonValueKind.Array)
        {
            return found;
        }

        foreach (var component in components.EnumerateArray())
        {
            if (component.ValueKind != JsonValueKind.Object
                || !string.Equals(Text(component, "type"), type, StringComparison.OrdinalIgnoreCase)
                || (buttonIndex is { } index && Text(component, "index") != index.ToString(CultureInfo.InvariantCulture))
                || !component.TryGetProperty("parameters"u8, out var parameters) || parameters.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            found.AddRange(parameters.EnumerateArray()
                .Where(p => p.ValueKind == JsonValueKind.Object && Text(p, "text") is not null)
                .Select(p => (Text(p, "parameter_name"), Text(p, "text")!)));
        }

        return found;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
