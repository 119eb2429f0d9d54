using System.Text.Json;

namespace WhatsAppChannel.Templates;

/// <summary>One page of <c>GET /{version}/{waba-id}/message_templates</c>: <c>{"data":[...],"paging":{"next":"..."}}</c>.</summary>
internal sealed record TemplateListingPage(IReadOnlyList<TemplateDefinition> Templates, string? Next)
{
    /// <exception cref="TemplateListingException">The page is not the listing's shape.</exception>
    public static TemplateListingPage Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new TemplateListingException("the template listing has no data array");
            }

            var templates = data.EnumerateArray().Select(ReadTemplate).OfType<TemplateDefinition>().ToList();
            string? next = null;
            if (root.TryGetProperty("paging"u8, out var paging) && paging.ValueKind == JsonValueKind.Object
                && paging.TryGetProperty("next"u8, out var nextElement) && nextElement.ValueKind == JsonValueKind.String)
            {
                next = nextElement.GetString();
            }

            return new TemplateListingPage(templates, next);
        }
        catch (JsonException ex)
        {
            throw new TemplateListingException("the template listing is not JSON", ex);
        }
    }

    /// <returns>null for an entry without name or language: it cannot match a send.</returns>
    private static TemplateDefinition? ReadTemplate(JsonElement template)
    {
        if (template.ValueKind != JsonValueKind.Object
            || Text(template, "name") is not { } name || Text(template, "language") is not { } language)
        {
            return null;
        }

        int header = 0, body = 0, buttonIndex = 0;
        var suffixButtons = new List<int>();
        string? headerFormat = null, headerText = null, bodyText = null, footerText = null;
        var buttonTexts = new List<TemplateButtonText>();
        if (template.TryGetProperty("components"u8, out var components) && components.ValueKind == JsonValueKind.Array)
        {
            foreach (var component in components.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
            {
                switch (Text(component, "type")?.ToUpperInvariant())
                {
                    // A media header has no text: its parameter is the media, which Meta checks itself.
                    case "HEADER" when string.Equals(Text(component, "format"), "TEXT", StringComparison.OrdinalIgnoreCase) || Text(component, "format") is null:
                        headerFormat = "TEXT";
                        headerText = Text(component, "text");
                        header = Placeholders.Count(headerText);
                        break;
                    case "HEADER":
                        headerFormat = Text(component, "format");
                        break;
                    case "BODY":
                        bodyText = Text(component, "text");
                        body = Placeholders.Count(bodyText);
                        break;
                    case "FOOTER":
                        footerText = Text(component, "text");
                        break;
                    case "BUTTONS" when component.TryGetProperty("buttons"u8, out var buttons) && buttons.ValueKind == JsonValueKind.Array:
                        foreach (var button in buttons.EnumerateArray())
                        {
                            if (button.ValueKind == JsonValueKind.Object)
                            {
                                buttonTexts.Add(new TemplateButtonText(Text(button, "type") ?? "", Text(button, "text") ?? "", Text(button, "url")));
                            }

                            if (button.ValueKind == JsonValueKind.Object
                                && string.Equals(Text(button, "type"), "URL", StringComparison.OrdinalIgnoreCase)
                                && Placeholders.Count(Text(button, "url")) > 0)
                            {
                                suffixButtons.Add(buttonIndex);
                            }

                            buttonIndex++;
                        }

                        break;
                }
            }
        }

        return new TemplateDefinition(name, language, Text(template, "status") ?? "", Text(template, "category"), header, body, suffixButtons)
        {
            Texts = bodyText is null ? null : new TemplateTexts(headerFormat, headerText, bodyText, footerText, buttonTexts),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
