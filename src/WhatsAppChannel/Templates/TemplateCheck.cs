using System.Globalization;
using System.Text.Json;

namespace WhatsAppChannel.Templates;

/// <summary>Checks a campaign's <c>Data</c> against the account's definitions of its template, before any send.</summary>
internal static class TemplateCheck
{
    /// <param name="definitions">The listing's entries (any name; those of other templates are ignored).</param>
    /// <param name="language">The language sent; null when it varies per endpoint (then only the counts are checked).</param>
    /// <param name="components">Data's <c>params</c>: the components as sent to Meta.</param>
    /// <returns>null when Data fits, else one line naming template, language, component and counts.</returns>
    public static string? Verdict(IReadOnlyList<TemplateDefinition> definitions, string templateName, string? language, JsonElement? components)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var named = definitions.Where(d => string.Equals(d.Name, templateName, StringComparison.Ordinal)).ToList();
        if (named.Count == 0)
        {
            return $"template {templateName} not found in the WhatsApp Business Account";
        }

        var approved = named.Where(d => d.IsApproved).ToList();
        var definition = language is null ? approved.FirstOrDefault() : approved.Find(d => string.Equals(d.Language, language, StringComparison.Ordinal));
        if (definition is null)
        {
            var listed = approved.Count == 0 ? "none" : string.Join(", ", approved.Select(d => d.Language));
            return $"template {templateName} ({language ?? "any language"}) is not approved in that language; approved: {listed}";
        }

        var given = Given.From(components);
        var prefix = $"template {templateName} ({definition.Language})";
        if (given.Header != definition.HeaderParameters)
        {
            return $"{prefix} header expects {definition.HeaderParameters} parameters, Data gives {given.Header}";
        }

        if (given.Body != definition.BodyParameters)
        {
            return $"{prefix} body expects {definition.BodyParameters} parameters, Data gives {given.Body}";
        }

        var missing = definition.UrlSuffixButtons.Where(i => !given.UrlButtons.Contains(i)).ToList();
        return missing.Count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{prefix} URL button {missing[0]} expects 1 suffix parameter, Data gives 0");
    }

    /// <summary>What Data's components supply: text parameters per header/body, URL buttons with a parameter.</summary>
    private sealed record Given(int Header, int Body, HashSet<int> UrlButtons)
    {
        public static Given From(JsonElement? components)
        {
            int header = 0, body = 0;
            var urlButtons = new HashSet<int>();
            if (components is not { ValueKind: JsonValueKind.Array } array)
            {
                return new Given(0, 0, urlButtons);
            }

            foreach (var component in array.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
            {
                var count = component.TryGetProperty("parameters"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Array
                    ? parameters.GetArrayLength()
                    : 0;
                switch (Text(component, "type")?.ToUpperInvariant())
                {
                    case "HEADER":
                        // A media header's one parameter is the media, not a placeholder.
                        header += parameters.ValueKind == JsonValueKind.Array
                            ? parameters.EnumerateArray().Count(p => p.ValueKind == JsonValueKind.Object && string.Equals(Text(p, "type"), "text", StringComparison.OrdinalIgnoreCase))
                            : 0;
                        break;
                    case "BODY":
                        body += count;
                        break;
                    case "BUTTON" when string.Equals(Text(component, "sub_type"), "url", StringComparison.OrdinalIgnoreCase) && count > 0
                        && ButtonIndex(component) is { } index:
                        urlButtons.Add(index);
                        break;
                }
            }

            return new Given(header, body, urlButtons);
        }

        // Meta takes the index as a string ("0"); a number is accepted too.
        private static int? ButtonIndex(JsonElement component) =>
            !component.TryGetProperty("index"u8, out var index) ? null
            : index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var n) ? n
            : index.ValueKind == JsonValueKind.String && int.TryParse(index.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
            : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
