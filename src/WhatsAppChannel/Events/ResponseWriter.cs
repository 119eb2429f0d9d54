using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Events;

/// <summary>Writes the response journeys read: <c>{"endpointId": {"EventAttributes": {...}}}</c>, values all strings.</summary>
public static class ResponseWriter
{
    public const string Status = "whatsapp_status";
    public const string MessageId = "whatsapp_message_id";
    public const string Attempts = "whatsapp_attempts";
    public const string Reason = "whatsapp_reason";
    public const string ErrorCode = "whatsapp_error_code";

    public static void Write(Stream output, IEnumerable<EndpointResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var result in results)
        {
            writer.WriteStartObject(result.EndpointId);
            writer.WriteStartObject("EventAttributes");
            writer.WriteString(Status, StatusText(result.Status));
            WriteIfPresent(writer, MessageId, result.MessageId);
            if (result.Attempts > 0)
            {
                writer.WriteString(Attempts, result.Attempts.ToString(CultureInfo.InvariantCulture));
            }

            WriteIfPresent(writer, ErrorCode, result.ErrorCode);
            WriteIfPresent(writer, Reason, result.Reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static string StatusText(EndpointStatus status) => status switch
    {
        EndpointStatus.Sent => "sent",
        EndpointStatus.Skipped => "skipped",
        _ => "failed",
    };

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
