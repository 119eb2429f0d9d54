using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Local;

/// <summary>Writes Pinpoint custom-channel events, 50 endpoints each, as Pinpoint would send them.</summary>
internal static class EventBatchWriter
{
    public const int MaxEndpointsPerEvent = 50;

    public static List<byte[]> Write(IReadOnlyList<Recipient> recipients, string templateName, IReadOnlyList<string> bodyParameters, string? language, DateTimeOffset scheduledTime)
    {
        var data = DataString(templateName, bodyParameters, language);
        var activityId = Guid.NewGuid().ToString("N");
        var events = new List<byte[]>();
        for (var start = 0; start < recipients.Count; start += MaxEndpointsPerEvent)
        {
            var batch = recipients.Skip(start).Take(MaxEndpointsPerEvent).ToList();
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("Message");
                writer.WriteEndObject();
                writer.WriteString("Data", data);
                writer.WriteString("ApplicationId", "local-application");
                writer.WriteString("CampaignId", "local-campaign");
                writer.WriteString("TreatmentId", "0");
                writer.WriteString("ActivityId", activityId);
                writer.WriteString("ScheduledTime", scheduledTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                writer.WriteStartObject("Endpoints");
                for (var i = 0; i < batch.Count; i++)
                {
                    WriteEndpoint(writer, $"endpoint-{start + i + 1:D5}", batch[i]);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            events.Add(buffer.WrittenSpan.ToArray());
        }

        return events;
    }

    private static void WriteEndpoint(Utf8JsonWriter writer, string id, Recipient recipient)
    {
        writer.WriteStartObject(id);
        writer.WriteString("ChannelType", "CUSTOM");
        writer.WriteString("Address", recipient.Address);
        writer.WriteString("EndpointStatus", "ACTIVE");
        writer.WriteString("OptOut", "NONE");
        writer.WriteStartObject("User");
        writer.WriteString("UserId", id);
        writer.WriteStartObject("UserAttributes");
        foreach (var (name, value) in recipient.Attributes)
        {
            writer.WriteStartArray(name);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string DataString(string templateName, IReadOnlyList<string> bodyParameters, string? language)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("templateName", templateName);
            if (language is not null)
            {
                writer.WriteString("language", language);
            }

            writer.WriteStartArray("params");
            if (bodyParameters.Count > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "body");
                writer.WriteStartArray("parameters");
                foreach (var text in bodyParameters)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
