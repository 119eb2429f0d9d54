using System.Text.Json;

namespace WhatsAppChannel.Pinpoint;

/// <summary>Turns the raw invocation payload into a <see cref="CampaignEvent"/>, or says exactly what is wrong.</summary>
internal static class EventParser
{
    /// <exception cref="InvalidEventException">The event cannot be used.</exception>
    public static CampaignEvent Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return ParseText(utf8Json);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json reports text it cannot transcode (lone surrogates, bad UTF-8 in names) this way.
            throw new InvalidEventException("the event is not JSON: it holds text that is not valid Unicode", ex);
        }
    }

    private static CampaignEvent ParseText(ReadOnlySpan<byte> utf8Json)
    {
        // Files saved by editors may start with a byte order mark; Pinpoint's events never do.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        if (IsBlank(utf8Json))
        {
            throw new InvalidEventException("the event is empty: expected a Pinpoint custom-channel event (JSON object)");
        }

        var source = DeserializeEvent(utf8Json);
        var endpoints = ReadEndpoints(source.Endpoints);
        var data = source.Data.ValueKind switch
        {
            JsonValueKind.String => source.Data.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => throw new InvalidEventException("Data is missing: the campaign must set the custom channel's Data to {\"templateName\": ..., \"params\": [...]}"),
            _ => throw new InvalidEventException($"Data must be a string holding JSON, not {Describe(source.Data.ValueKind)}"),
        };

        var template = DeserializeData(data);
        var templateName = template.TemplateName.ValueKind == JsonValueKind.String ? template.TemplateName.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(templateName))
        {
            throw new InvalidEventException(template.TemplateName.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String
                ? "Data.templateName is missing"
                : $"Data.templateName must be a string, not {Describe(template.TemplateName.ValueKind)}");
        }

        string? language = template.Language.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String when !string.IsNullOrWhiteSpace(template.Language.GetString()) => template.Language.GetString()!.Trim(),
            JsonValueKind.String => null,
            _ => throw new InvalidEventException($"Data.language must be a string such as \"en_US\", not {Describe(template.Language.ValueKind)}"),
        };

        JsonElement? components = template.Params.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.Array => template.Params,
            _ => throw new InvalidEventException($"Data.params must be an array of WhatsApp template components, not {Describe(template.Params.ValueKind)}"),
        };

        string? phoneNumberId = template.PhoneNumberId.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String when string.IsNullOrWhiteSpace(template.PhoneNumberId.GetString()) => null,
            JsonValueKind.String => template.PhoneNumberId.GetString()!.Trim(),
            _ => throw new InvalidEventException($"Data.phoneNumberId must be a string holding the WhatsApp phone number id, not {Describe(template.PhoneNumberId.ValueKind)}"),
        };

        return new CampaignEvent(source, data, templateName, language, components, endpoints) { PhoneNumberId = phoneNumberId };
    }

    private static PinpointEvent DeserializeEvent(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, PinpointJsonContext.Default.PinpointEvent)
                ?? throw new InvalidEventException("the event is null: expected a Pinpoint custom-channel event (JSON object)");
        }
        catch (JsonException ex)
        {
            throw new InvalidEventException(DescribeEventError(utf8Json, ex), ex);
        }
    }

    private static string DescribeEventError(ReadOnlySpan<byte> utf8Json, JsonException ex) =>
        DescribeJsonError(utf8Json) switch
        {
            { } syntax => $"the event {syntax}",
            null when FirstToken(utf8Json) != JsonTokenType.StartObject => $"the event must be a JSON object, not {FirstToken(utf8Json).ToString().ToLowerInvariant()}",
            null => $"the event does not have the Pinpoint shape at {ex.Path ?? "$"}: a field has the wrong type",
        };

    /// <summary>Null when <paramref name="utf8Json"/> is well-formed JSON; else what is wrong with it.
    /// Runs only on error paths, to tell "not JSON" apart from "JSON of the wrong shape".</summary>
    private static string? DescribeJsonError(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                return "is not JSON";
            }

            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException syntax)
        {
            return $"is not JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1})";
        }
    }

    private static JsonTokenType FirstToken(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        return reader.Read() ? reader.TokenType : JsonTokenType.None;
    }

    private static List<PinpointEndpoint> ReadEndpoints(JsonElement endpoints)
    {
        if (endpoints.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new InvalidEventException("Endpoints is missing");
        }

        if (endpoints.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidEventException($"Endpoints must be an object of endpoint id -> endpoint, not {Describe(endpoints.ValueKind)}");
        }

        // A repeated endpoint id keeps its first position and its last value, as JSON readers usually do.
        var order = new List<string>();
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in endpoints.EnumerateObject())
        {
            if (!byId.ContainsKey(property.Name))
            {
                order.Add(property.Name);
            }

            byId[property.Name] = property.Value;
        }

        return order.ConvertAll(id => new PinpointEndpoint(id, byId[id]));
    }

    private static TemplateData DeserializeData(string data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, PinpointJsonContext.Default.TemplateData)
                ?? throw new InvalidEventException("Data is not a JSON object: it is null");
        }
        catch (JsonException ex)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(data);
            var message = DescribeJsonError(bytes) is { } syntax
                ? $"Data {syntax}: expected {{\"templateName\": ..., \"params\": [...]}}"
                : FirstToken(bytes) != JsonTokenType.StartObject
                    ? "Data must be a JSON object such as {\"templateName\": ..., \"params\": [...]}"
                    : $"Data has a field of the wrong type at {ex.Path ?? "$"}";
            throw new InvalidEventException(message, ex);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> utf8Json)
    {
        foreach (var b in utf8Json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
