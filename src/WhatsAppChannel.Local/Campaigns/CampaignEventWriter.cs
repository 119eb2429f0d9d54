using System.Buffers;
using System.Text.Json;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>Writes one Pinpoint-shaped campaign event per batch. Every field of the idempotency key is fixed by the
/// campaign id and the Data alone, never by the clock, so a rerun of the same campaign finds its earlier sends.</summary>
internal sealed class CampaignEventWriter(string campaignId, string data)
{
    public const int MaxEndpointsPerEvent = 50;

    private const string ApplicationId = "whatsapp-channel-campaign";

    // The key's time field: a campaign id is one campaign, sent once (the ledger keeps it for IDEMPOTENCY_TTL_DAYS).
    private const string ScheduledTime = "1970-01-01T00:00:00.000Z";

    public byte[] Write(IReadOnlyList<AudienceEntry> batch)
    {
        if (batch.Count is 0 or > MaxEndpointsPerEvent)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch.Count, $"A batch has 1 to {MaxEndpointsPerEvent} endpoints.");
        }

        var buffer = new ArrayBufferWriter<byte>(1024 * batch.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Message");
            writer.WriteEndObject();
            writer.WriteString("Data", data);
            writer.WriteString("ApplicationId", ApplicationId);
            writer.WriteString("CampaignId", campaignId);
            writer.WriteString("TreatmentId", "0");
            writer.WriteString("ActivityId", campaignId);
            writer.WriteString("ScheduledTime", ScheduledTime);
            writer.WriteStartObject("Endpoints");
            foreach (var entry in batch)
            {
                WriteEndpoint(writer, entry);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEndpoint(Utf8JsonWriter writer, AudienceEntry entry)
    {
        var row = entry.Row;
        writer.WriteStartObject(entry.EndpointId);
        writer.WriteString("ChannelType", "CUSTOM");
        writer.WriteString("Address", row.Address ?? string.Empty);
        writer.WriteString("EndpointStatus", row.EndpointStatus ?? "ACTIVE");
        writer.WriteString("OptOut", row.OptOut ?? "NONE");
        if (row.Locale is not null)
        {
            writer.WriteStartObject("Demographic");
            writer.WriteString("Locale", row.Locale);
            writer.WriteEndObject();
        }

        writer.WriteStartObject("User");
        writer.WriteStartObject("UserAttributes");
        foreach (var (name, value) in row.Attributes)
        {
            writer.WriteStartArray(name);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
