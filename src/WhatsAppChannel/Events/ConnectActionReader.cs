using System.Buffers;
using System.Text.Json;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Events;

/// <summary>
/// Reads an Amazon Connect outbound campaign's Lambda custom action:
/// <c>{"InvocationMetadata": {"CampaignContext": {"CampaignId", "RunId", "ActionId", "CampaignName"}},
/// "Items": {"CustomerProfiles": [{"ProfileId", "CustomerData", "IdempotencyToken"}]}}</c>. Each profile becomes a
/// Pinpoint-shaped endpoint <c>{"Address": &lt;its phone number&gt;, "Profile": &lt;the profile&gt;}</c>, so placeholders read
/// <c>{{Profile.FirstName}}</c>. The campaign's Data is not in this event: it is read by <see cref="CampaignEvent.DataName"/>.
/// </summary>
internal static class ConnectActionReader
{
    /// <summary>Connect waits 30 s for the answer; the rest is left for answering over the network.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(28);

    /// <summary>The profile's numbers, most specific first.</summary>
    private static readonly string[] PhoneFields = ["PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"];

    /// <summary>Customer Profiles' address objects, whose keys are normalized like the profile's own.</summary>
    private static readonly HashSet<string> AddressFields = new(StringComparer.Ordinal) { "Address", "ShippingAddress", "MailingAddress", "BillingAddress" };

    public static CampaignEvent Read(InboundEvent source)
    {
        var metadata = source.InvocationMetadata;
        var context = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("CampaignContext", out var value) ? value : default;
        if (context.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidEventException("InvocationMetadata.CampaignContext is missing or not an object: expected {\"CampaignId\", \"RunId\", \"ActionId\", \"CampaignName\"}");
        }

        var campaignId = ContextString(context, "CampaignId", required: true);
        var runId = ContextString(context, "RunId", required: true);
        var actionId = ContextString(context, "ActionId", required: false);
        var campaignName = ContextString(context, "CampaignName", required: false);

        var items = source.Items;
        var profiles = items.ValueKind == JsonValueKind.Object && items.TryGetProperty("CustomerProfiles", out var list) ? list : default;
        if (profiles.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidEventException(EventParser.IsPresent(profiles)
                ? $"Items.CustomerProfiles must be an array, not {EventParser.Describe(profiles.ValueKind)}"
                : "Items.CustomerProfiles is missing: expected {\"Items\": {\"CustomerProfiles\": [{\"ProfileId\", \"CustomerData\", \"IdempotencyToken\"}]}}");
        }

        var endpoints = new List<PinpointEndpoint>(profiles.GetArrayLength());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in profiles.EnumerateArray())
        {
            var profileId = ProfileId(item, index++);
            if (seen.Add(profileId))
            {
                endpoints.Add(ToEndpoint(profileId, item)); // A repeated ProfileId is answered once, as its first item.
            }
        }

        return new CampaignEvent(EventShape.ConnectCampaignAction, new EventScope(null, campaignId, null, null, actionId, runId), endpoints)
        {
            DataName = campaignName,
            AnswerWithin = AnswerWithin,
        };
    }

    private static string ProfileId(JsonElement item, int index)
    {
        var id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ProfileId", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : null;
        return string.IsNullOrEmpty(id)
            ? throw new InvalidEventException($"Items.CustomerProfiles[{index}].ProfileId is missing or not a string: every profile is answered by its ProfileId")
            : id;
    }

    private static PinpointEndpoint ToEndpoint(string profileId, JsonElement item)
    {
        var token = item.TryGetProperty("IdempotencyToken", out var t) ? Text(t) : null;
        var profile = ReadProfile(item);
        if (profile is null)
        {
            return new PinpointEndpoint(profileId, default) { IdempotencyToken = token, Rejection = FailureReasons.InvalidCustomerData };
        }

        var phone = PhoneFields
            .Select(name => profile.Value.TryGetProperty(name, out var number) && number.ValueKind == JsonValueKind.String ? number.GetString() : null)
            .FirstOrDefault(number => !string.IsNullOrWhiteSpace(number));

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (phone is not null)
            {
                writer.WriteString("Address", phone);
            }

            writer.WritePropertyName("Profile");
            profile.Value.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new PinpointEndpoint(profileId, document.RootElement.Clone())
        {
            IdempotencyToken = token,
            Rejection = phone is null ? FailureReasons.NoPhoneNumber : null,
        };
    }

    /// <summary>The profile from <c>CustomerData</c> (a JSON string; an object is taken as is), its standard field names in
    /// Customer Profiles' PascalCase whatever case they came in (AWS's own example writes <c>firstName</c>); keys inside
    /// <c>Attributes</c> are the campaign author's and stay as they are. Null when it is not a JSON object.</summary>
    private static JsonElement? ReadProfile(JsonElement item)
    {
        var data = item.TryGetProperty("CustomerData", out var value) ? value : default;
        JsonDocument? parsed = null;
        try
        {
            if (data.ValueKind == JsonValueKind.String)
            {
                parsed = JsonDocument.Parse(data.GetString()!, new JsonDocumentOptions { MaxDepth = 64 });
                data = parsed.RootElement;
            }

            if (data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteNormalized(writer, data, AddressFields);
            }

            using var normalized = JsonDocument.Parse(buffer.WrittenMemory);
            return normalized.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, too deep, or text System.Text.Json cannot transcode (a lone surrogate): this profile only.
            return null;
        }
        finally
        {
            parsed?.Dispose();
        }
    }

    private static void WriteNormalized(Utf8JsonWriter writer, JsonElement profile, HashSet<string>? nested)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartObject();
        foreach (var property in profile.EnumerateObject())
        {
            var name = property.Name.Length > 0 && char.IsAsciiLetterLower(property.Name[0])
                ? string.Concat(char.ToUpperInvariant(property.Name[0]).ToString(), property.Name.AsSpan(1))
                : property.Name;
            if (!written.Add(name))
            {
                continue; // The PascalCase spelling and a camelCase one both present: the first wins.
            }

            writer.WritePropertyName(name);
            if (nested is not null && nested.Contains(name) && property.Value.ValueKind == JsonValueKind.Object)
            {
                WriteNormalized(writer, property.Value, null);
            }
            else
            {
                property.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A non-blank string's text; null for anything else, or for text that cannot be transcoded (a lone surrogate).</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ContextString(JsonElement context, string name, bool required)
    {
        var text = context.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(text))
        {
            return required
                ? throw new InvalidEventException($"InvocationMetadata.CampaignContext.{name} is missing or not a string")
                : null;
        }

        return text;
    }
}
