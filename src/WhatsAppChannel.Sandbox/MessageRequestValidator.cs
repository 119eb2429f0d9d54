using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// Checks a send-message body by Meta's documented field names against the template registry.
/// Reads raw JSON on purpose: it shares no model with the function it tests.
/// </summary>
internal sealed class MessageRequestValidator(TemplateRegistry registry)
{
    private const string Components = "template['components']";

    public bool TryValidate(JsonElement root, [NotNullWhen(true)] out ValidatedMessage? message, [NotNullWhen(false)] out GraphError? error)
    {
        error = Validate(root, out message);
        return error is null;
    }

    private GraphError? Validate(JsonElement root, out ValidatedMessage? message)
    {
        message = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GraphError.InvalidParameter("The request body must be a JSON object.");
        }

        if (!TryGetString(root, "messaging_product", out var product))
        {
            return GraphError.InvalidParameter("The parameter messaging_product is required.");
        }

        if (product != "whatsapp")
        {
            return GraphError.InvalidParameter("Param messaging_product must be 'whatsapp'.");
        }

        if (root.TryGetProperty("recipient_type", out var recipientType)
            && (recipientType.ValueKind != JsonValueKind.String || recipientType.GetString() != "individual"))
        {
            return GraphError.InvalidParameter("Param recipient_type must be 'individual'.");
        }

        if (!TryGetString(root, "to", out var to))
        {
            return GraphError.InvalidParameter("The parameter to is required.");
        }

        if (!IsPhoneDigits(to))
        {
            return GraphError.ParameterValueInvalid("Param to must be the recipient's phone number as 1-15 digits (E.164 without '+').");
        }

        // Meta returns this string untouched in the message's status webhooks; it takes at most 512 characters.
        if (root.TryGetProperty("biz_opaque_callback_data", out var callbackData)
            && (callbackData.ValueKind != JsonValueKind.String || callbackData.GetString()!.Length > 512))
        {
            return GraphError.ParameterValueInvalid("Param biz_opaque_callback_data must be a string of at most 512 characters.");
        }

        if (!TryGetString(root, "type", out var type) || type != "template")
        {
            return GraphError.InvalidParameter("Param type must be 'template' (the sandbox accepts template messages only).");
        }

        if (!root.TryGetProperty("template", out var template) || template.ValueKind != JsonValueKind.Object)
        {
            return GraphError.InvalidParameter("The parameter template is required.");
        }

        if (!TryGetString(template, "name", out var name) || name.Length == 0)
        {
            return GraphError.InvalidParameter("The parameter template['name'] is required.");
        }

        if (!template.TryGetProperty("language", out var language)
            || language.ValueKind != JsonValueKind.Object
            || !TryGetString(language, "code", out var code)
            || code.Length == 0)
        {
            return GraphError.InvalidParameter("The parameter template['language']['code'] is required.");
        }

        if (!registry.TryGet(name, out var messageTemplate) || !messageTemplate.Translations.TryGetValue(code, out var translation))
        {
            return GraphError.TemplateNotFound(name, code);
        }

        var error = ReadComponents(template, translation, out var filled);
        if (error is not null)
        {
            return error;
        }

        var parts = new MessageParts(
            translation.Header?.Render(filled.Header),
            translation.Body.Render(filled.Body),
            translation.Footer,
            [.. translation.Buttons.Select((button, index) => new ButtonPart(button.Text, button.Url?.Render(filled.UrlSuffixes.TryGetValue(index, out var suffix) ? [suffix] : [])))]);
        var lines = new[] { parts.Header, parts.Body, parts.Footer }.OfType<string>();
        var buttons = translation.Buttons
            .Select((button, index) => button.Render(filled.UrlSuffixes.GetValueOrDefault(index)))
            .ToArray();
        message = new ValidatedMessage(to, name, code, string.Join('\n', lines), buttons)
        {
            CallbackData = callbackData.ValueKind == JsonValueKind.String ? callbackData.GetString() : null,
            Parts = parts,
        };
        return null;
    }

    private static GraphError? ReadComponents(JsonElement template, TemplateTranslation translation, out FilledParameters filled)
    {
        filled = new FilledParameters();
        List<string>? header = null;
        List<string>? body = null;
        if (template.TryGetProperty("components", out var components) && components.ValueKind != JsonValueKind.Null)
        {
            if (components.ValueKind != JsonValueKind.Array)
            {
                return GraphError.InvalidParameter($"Param {Components} must be an array.");
            }

            var position = 0;
            foreach (var component in components.EnumerateArray())
            {
                var where = $"{Components}[{position++}]";
                if (component.ValueKind != JsonValueKind.Object || !TryGetString(component, "type", out var componentType))
                {
                    return GraphError.InvalidParameter($"The parameter {where}['type'] is required.");
                }

                GraphError? error;
                switch (componentType.ToUpperInvariant())
                {
                    case "HEADER" when header is not null:
                    case "BODY" when body is not null:
                        return GraphError.InvalidParameter($"Param {where}: only one {componentType.ToLowerInvariant()} component is allowed.");
                    case "HEADER":
                        error = ReadTextParameters(component, where, allowLocalized: false, out header);
                        break;
                    case "BODY":
                        error = ReadTextParameters(component, where, allowLocalized: true, out body);
                        break;
                    case "BUTTON":
                        error = ReadButton(component, where, translation, filled);
                        break;
                    default:
                        return GraphError.InvalidParameter($"Param {where}['type'] must be one of {{HEADER, BODY, BUTTON}}.");
                }

                if (error is not null)
                {
                    return error;
                }
            }
        }

        var expectedHeader = translation.Header?.ParameterCount ?? 0;
        if ((header?.Count ?? 0) != expectedHeader)
        {
            return GraphError.ParameterCountMismatch("header", header?.Count ?? 0, expectedHeader);
        }

        if ((body?.Count ?? 0) != translation.Body.ParameterCount)
        {
            return GraphError.ParameterCountMismatch("body", body?.Count ?? 0, translation.Body.ParameterCount);
        }

        for (var index = 0; index < translation.Buttons.Count; index++)
        {
            if (translation.Buttons[index].HasDynamicUrl && !filled.UrlSuffixes.ContainsKey(index))
            {
                return GraphError.ParameterMissing($"buttons: Button at index {index} of type Url requires a parameter");
            }
        }

        filled.Header = header ?? [];
        filled.Body = body ?? [];
        return null;
    }

    private static GraphError? ReadTextParameters(JsonElement component, string where, bool allowLocalized, out List<string> values)
    {
        values = [];
        if (!component.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return GraphError.InvalidParameter($"Param {where}['parameters'] must be an array.");
        }

        var index = 0;
        foreach (var parameter in parameters.EnumerateArray())
        {
            var error = ReadParameterText(parameter, $"{where}['parameters'][{index++}]", allowLocalized, out var text);
            if (error is not null)
            {
                return error;
            }

            values.Add(text!);
        }

        return null;
    }

    private static GraphError? ReadParameterText(JsonElement parameter, string where, bool allowLocalized, out string? text)
    {
        text = null;
        if (parameter.ValueKind != JsonValueKind.Object || !TryGetString(parameter, "type", out var type))
        {
            return GraphError.InvalidParameter($"The parameter {where}['type'] is required.");
        }

        switch (type)
        {
            case "text":
                if (!parameter.TryGetProperty("text", out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return GraphError.ParameterMissing("Parameter of type text is missing text value");
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    return GraphError.InvalidParameter($"Param {where}['text'] must be a string.");
                }

                text = value.GetString()!;
                if (string.IsNullOrWhiteSpace(text))
                {
                    return GraphError.ParameterMissing("Parameter of type text is missing text value");
                }

                return HasForbiddenWhitespace(text) ? GraphError.ParameterTextInvalid() : null;
            case "currency" or "date_time" when allowLocalized:
                if (!parameter.TryGetProperty(type, out var localized)
                    || localized.ValueKind != JsonValueKind.Object
                    || !TryGetString(localized, "fallback_value", out var fallback)
                    || string.IsNullOrWhiteSpace(fallback))
                {
                    return GraphError.ParameterMissing($"Parameter of type {type} is missing fallback_value");
                }

                text = fallback;
                return null;
            default:
                return GraphError.ParameterFormatMismatch($"{where}: expected TEXT, received {type.ToUpperInvariant()}");
        }
    }

    private static GraphError? ReadButton(JsonElement component, string where, TemplateTranslation translation, FilledParameters filled)
    {
        if (!TryGetString(component, "sub_type", out var subType))
        {
            return GraphError.InvalidParameter($"The parameter {where}['sub_type'] is required.");
        }

        if (!TryGetIndex(component, out var index))
        {
            return GraphError.InvalidParameter($"The parameter {where}['index'] is required and must be a non-negative integer.");
        }

        if (index >= translation.Buttons.Count)
        {
            return GraphError.ParameterValueInvalid($"buttons: Button at index {index} does not exist (the template has {translation.Buttons.Count} buttons)");
        }

        var button = translation.Buttons[index];
        if (!string.Equals(subType, button.ApiSubType, StringComparison.OrdinalIgnoreCase))
        {
            return GraphError.ParameterValueInvalid($"buttons: Button at index {index} is of type {button.ApiSubType}, not {subType}");
        }

        if (!filled.ButtonIndexes.Add(index))
        {
            return GraphError.InvalidParameter($"Param {where}: button index {index} appears twice.");
        }

        var parameters = component.TryGetProperty("parameters", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToArray()
            : [];
        switch (button.Kind)
        {
            case TemplateButtonKind.QuickReply:
                foreach (var parameter in parameters)
                {
                    if (!TryGetString(parameter, "type", out var type) || type != "payload")
                    {
                        return GraphError.ParameterFormatMismatch($"{where}: a quick_reply button takes parameters of type payload");
                    }

                    if (!TryGetString(parameter, "payload", out var payload) || payload.Length == 0)
                    {
                        return GraphError.ParameterMissing("Parameter of type payload is missing payload value");
                    }
                }

                return null;
            case TemplateButtonKind.Url when button.HasDynamicUrl:
                if (parameters.Length == 0)
                {
                    return GraphError.ParameterMissing($"buttons: Button at index {index} of type Url requires a parameter");
                }

                if (parameters.Length > 1)
                {
                    return GraphError.ParameterValueInvalid($"buttons: Button at index {index} of type Url takes exactly one parameter");
                }

                var error = ReadParameterText(parameters[0], $"{where}['parameters'][0]", allowLocalized: false, out var suffix);
                if (error is null)
                {
                    filled.UrlSuffixes[index] = suffix!;
                }

                return error;
            default:
                return parameters.Length == 0
                    ? null
                    : GraphError.ParameterValueInvalid($"buttons: Button at index {index} of type {button.ApiSubType} does not take parameters");
        }
    }

    private static bool TryGetIndex(JsonElement component, out int index)
    {
        index = -1;
        if (!component.TryGetProperty("index", out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out index) && index >= 0,
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out index),
            _ => false,
        };
    }

    private static bool TryGetString(JsonElement element, string property, [NotNullWhen(true)] out string? value)
    {
        value = element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(property, out var found)
            && found.ValueKind == JsonValueKind.String
                ? found.GetString()
                : null;
        return value is not null;
    }

    private static bool IsPhoneDigits(string to) => to.Length is >= 1 and <= 15 && to.All(char.IsAsciiDigit);

    // Meta rejects body parameters with new lines, tabs or more than four consecutive spaces (132018).
    private static bool HasForbiddenWhitespace(string text) =>
        text.Contains('\n', StringComparison.Ordinal)
        || text.Contains('\t', StringComparison.Ordinal)
        || text.Contains("     ", StringComparison.Ordinal);

    private sealed class FilledParameters
    {
        public IReadOnlyList<string> Header { get; set; } = [];

        public IReadOnlyList<string> Body { get; set; } = [];

        public Dictionary<int, string> UrlSuffixes { get; } = [];

        public HashSet<int> ButtonIndexes { get; } = [];
    }
}
