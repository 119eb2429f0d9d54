using System.Buffers;
using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>
/// Reads the batch a Step Functions Distributed Map state with an <c>ItemBatcher</c> passes to its Lambda task:
/// <c>{"BatchInput": {"Data", "CampaignId", "RunId", "phoneNumberId"?}, "Items": [...]}</c>. Each item, a Pinpoint-shaped
/// endpoint or a flat row (a CSV line or a JSON Lines object), becomes a Pinpoint-shaped endpoint, so that everything after
/// parsing is the same as for Pinpoint.
/// </summary>
internal static class DistributedMapBatchReader
{
    /// <summary>As many endpoints as a Pinpoint event holds: one batch fits one invocation's time.</summary>
    public const int MaxItems = 50;

    private const string Expected = "{\"BatchInput\": {\"Data\", \"CampaignId\", \"RunId\"}, \"Items\": [...]}";

    /// <summary>Endpoint fields that keep their Pinpoint meaning and place; every other column is a user attribute.</summary>
    private static readonly HashSet<string> PinpointFields = new(StringComparer.Ordinal)
    {
        "ChannelType", "Location", "Demographic", "Attributes", "Metrics", "User", "EffectiveDate", "CreationDate",
        "CohortId", "RequestId", "ApplicationId", "Id",
    };

    /// <summary>Columns mapped to endpoint fields, matched in any case (CSV headers are written by hand).</summary>
    private static readonly HashSet<string> MappedColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "Address", "phone", "EndpointId", "OptOut", "EndpointStatus", "Locale",
    };

    public static CampaignEvent Read(InboundEvent source)
    {
        var input = source.BatchInput;
        if (!EventParser.IsPresent(input))
        {
            throw new InvalidEventException($"BatchInput is missing: a Step Functions batch is {Expected} (the ItemBatcher's BatchInput)");
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidEventException($"BatchInput must be an object {{\"Data\", \"CampaignId\", \"RunId\"}}, not {EventParser.Describe(input.ValueKind)}");
        }

        var campaignId = RequiredString(input, "CampaignId", "the campaign's id, which keeps a campaign's sends apart from another's");
        var runId = RequiredString(input, "RunId", "the execution name ($$.Execution.Name), which makes a re-run of the same execution send nothing twice");
        var phoneNumberId = OptionalString(input, "phoneNumberId");
        var data = input.TryGetProperty("Data", out var value) ? value : default;
        var dataText = data.ValueKind switch
        {
            JsonValueKind.String => data.GetString()!,
            JsonValueKind.Object => data.GetRawText(),
            JsonValueKind.Undefined or JsonValueKind.Null => throw new InvalidEventException("BatchInput.Data is missing: set it to {\"templateName\": ..., \"params\": [...]} (as a string or an object)"),
            _ => throw new InvalidEventException($"BatchInput.Data must be a JSON object or a string holding one, not {EventParser.Describe(data.ValueKind)}"),
        };

        var items = source.Items;
        if (!EventParser.IsPresent(items))
        {
            throw new InvalidEventException($"Items is missing: a Step Functions batch is {Expected}");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidEventException($"Items must be an array of recipients, not {EventParser.Describe(items.ValueKind)}");
        }

        var count = items.GetArrayLength();
        if (count > MaxItems)
        {
            throw new InvalidEventException($"Items holds {count} recipients: a batch may hold at most {MaxItems} (set the ItemBatcher's MaxItemsPerBatch to {MaxItems} or less)");
        }

        var template = EventParser.ParseData(dataText);
        var endpoints = new List<PinpointEndpoint>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var item in items.EnumerateArray())
        {
            position++;
            var endpoint = ToEndpoint(item, position);
            endpoints.Add(endpoint with { Id = UniqueId(endpoint.Id, ids) });
        }

        return new CampaignEvent(EventShape.DistributedMapBatch, new EventScope(null, campaignId, null, null, null, runId), endpoints)
        {
            Template = template,
            PhoneNumberId = phoneNumberId,
        };
    }

    private static PinpointEndpoint ToEndpoint(JsonElement item, int position)
    {
        var fallbackId = "item-" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new PinpointEndpoint(fallbackId, item.Clone()); // Planning skips it as invalid-endpoint.
        }

        try
        {
            return FromColumns(item, fallbackId);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // A name or value System.Text.Json cannot transcode (a lone surrogate): planning skips it as invalid-endpoint.
            return new PinpointEndpoint(fallbackId, default);
        }
    }

    private static PinpointEndpoint FromColumns(JsonElement item, string fallbackId)
    {

        var address = Column(item, "Address") ?? Column(item, "phone");
        var id = Column(item, "EndpointId") ?? PinpointString(item, "Id") ?? Digits(address) ?? fallbackId;

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteIfPresent(writer, "Address", address);
            WriteIfPresent(writer, "EndpointStatus", Column(item, "EndpointStatus"));
            WriteIfPresent(writer, "OptOut", Column(item, "OptOut"));
            foreach (var property in item.EnumerateObject())
            {
                if (PinpointFields.Contains(property.Name) && property.Name is not ("Demographic" or "User"))
                {
                    property.WriteTo(writer);
                }
            }

            WriteDemographic(writer, item, Column(item, "Locale"));
            WriteUser(writer, item);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new PinpointEndpoint(id, document.RootElement.Clone());
    }

    /// <summary>The item's Demographic, with a <c>Locale</c> column added unless it names a locale already.</summary>
    private static void WriteDemographic(Utf8JsonWriter writer, JsonElement item, string? locale)
    {
        var demographic = item.TryGetProperty("Demographic", out var value) && value.ValueKind == JsonValueKind.Object ? value : default;
        if (demographic.ValueKind == JsonValueKind.Undefined && locale is null)
        {
            return;
        }

        writer.WriteStartObject("Demographic");
        if (demographic.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in demographic.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        if (locale is not null && !(demographic.ValueKind == JsonValueKind.Object && demographic.TryGetProperty("Locale", out _)))
        {
            writer.WriteString("Locale", locale);
        }

        writer.WriteEndObject();
    }

    /// <summary>The item's User, with every column that is not an endpoint field added to <c>UserAttributes</c> as a
    /// one-value list (Pinpoint's form); an attribute the item's own User names wins over a column of the same name.</summary>
    private static void WriteUser(Utf8JsonWriter writer, JsonElement item)
    {
        var user = item.TryGetProperty("User", out var value) && value.ValueKind == JsonValueKind.Object ? value : default;
        var own = user.ValueKind == JsonValueKind.Object && user.TryGetProperty("UserAttributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
            ? attributes
            : default;

        var written = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject("User");
        if (user.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in user.EnumerateObject())
            {
                if (property.Name != "UserAttributes")
                {
                    property.WriteTo(writer);
                }
            }
        }

        writer.WriteStartObject("UserAttributes");
        if (own.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in own.EnumerateObject())
            {
                if (written.Add(property.Name))
                {
                    property.WriteTo(writer);
                }
            }
        }

        foreach (var property in item.EnumerateObject())
        {
            if (PinpointFields.Contains(property.Name) || MappedColumns.Contains(property.Name)
                || property.Value.ValueKind == JsonValueKind.Null || !written.Add(property.Name))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                property.Value.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                property.Value.WriteTo(writer);
                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A column's text, its name matched in any case; a number (JSON Lines) as written.</summary>
    private static string? Column(JsonElement item, string name)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
                return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            }
        }

        return null;
    }

    private static string? PinpointString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    /// <summary>The number's digits: the id a row without <c>EndpointId</c> gets (E.164 digits for a number written
    /// with its country code, as WhatsApp numbers are).</summary>
    private static string? Digits(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var digits = new string([.. address.Where(char.IsAsciiDigit)]);
        return digits.Length == 0 ? null : digits;
    }

    /// <summary>Every item is answered: an id already used in the batch (a repeated row) gets <c>#2</c>, <c>#3</c>, ...</summary>
    private static string UniqueId(string id, HashSet<string> used)
    {
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = id + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static string RequiredString(JsonElement input, string name, string meaning)
    {
        if (!input.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null)
        {
            throw new InvalidEventException($"BatchInput.{name} is missing: set it to {meaning}");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new InvalidEventException($"BatchInput.{name} must be a string, not {EventParser.Describe(value.ValueKind)}"),
        };
        return text.Length > 0 ? text : throw new InvalidEventException($"BatchInput.{name} is empty: set it to {meaning}");
    }

    private static string? OptionalString(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
