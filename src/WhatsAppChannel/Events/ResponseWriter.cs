using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Events;

/// <summary>Writes the answer in the form the event's sender reads. Pinpoint journeys and Step Functions read
/// <c>{"endpointId": {"EventAttributes": {...}}}</c>; Amazon Connect reads
/// <c>{"Items": {"CustomerProfiles": [{"Id", "Result", "ResultData": {...}}]}}</c>. Values are all strings.</summary>
internal static class ResponseWriter
{
    public const string Status = "whatsapp_status";
    public const string MessageId = "whatsapp_message_id";
    public const string Attempts = "whatsapp_attempts";
    public const string Reason = "whatsapp_reason";
    public const string ErrorCode = "whatsapp_error_code";

    /// <summary>Connect allows 32 KB of ResultData per profile: a reason (Meta's text can be long) is cut well below it.</summary>
    internal const int MaxConnectValueLength = 1000;

    internal static void Write(Stream output, EventShape shape, IEnumerable<EndpointResult> results)
    {
        if (shape == EventShape.ConnectCampaignAction)
        {
            WriteConnectAnswer(output, results);
        }
        else
        {
            Write(output, results);
        }
    }

    /// <summary>The per-endpoint map of Pinpoint and of Step Functions batches.</summary>
    public static void Write(Stream output, IEnumerable<EndpointResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var result in results)
        {
            writer.WriteStartObject(result.EndpointId);
            writer.WritePropertyName("EventAttributes");
            WriteAttributes(writer, result, int.MaxValue);
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

    /// <summary>Every profile once; a skip is a SUCCESS (the profile was handled as the campaign asked), a failure a FAILURE.</summary>
    private static void WriteConnectAnswer(Stream output, IEnumerable<EndpointResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartObject("Items");
        writer.WriteStartArray("CustomerProfiles");
        foreach (var result in results)
        {
            writer.WriteStartObject();
            writer.WriteString("Id", result.EndpointId);
            writer.WriteString("Result", result.Status == EndpointStatus.Failed ? "FAILURE" : "SUCCESS");
            writer.WritePropertyName("ResultData");
            WriteAttributes(writer, result, MaxConnectValueLength);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, EndpointResult result, int maxLength)
    {
        writer.WriteStartObject();
        writer.WriteString(Status, StatusText(result.Status));
        WriteIfPresent(writer, MessageId, result.MessageId, maxLength);
        if (result.Attempts > 0)
        {
            writer.WriteString(Attempts, result.Attempts.ToString(CultureInfo.InvariantCulture));
        }

        WriteIfPresent(writer, ErrorCode, result.ErrorCode, maxLength);
        WriteIfPresent(writer, Reason, result.Reason, maxLength);
        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length <= maxLength)
        {
            writer.WriteString(name, value);
            return;
        }

        var cut = maxLength - 3;
        if (char.IsHighSurrogate(value[cut - 1]))
        {
            cut--; // Never split a surrogate pair.
        }

        writer.WriteString(name, string.Concat(value.AsSpan(0, cut), "..."));
    }
}
