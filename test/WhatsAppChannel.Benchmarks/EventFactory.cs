using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Pinpoint;

namespace WhatsAppChannel.Benchmarks;

/// <summary>Pinpoint campaign events as Pinpoint sends them: every endpoint with the full field set and a
/// personalized <c>Data</c> (three placeholders per message) for the seed's <c>ordertimeoutnotification</c> template.</summary>
internal static class EventFactory
{
    public const string TemplateData =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":"{{Attributes.CartItem|Champion T Shirt}}"}]},{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"pay:{{EndpointId}}"}]}]}""";

    /// <param name="firstNumber">Recipients are +1 415 555 NNNN from this NNNN on (so never the sandbox's reserved ...99999).</param>
    public static byte[] Campaign(int endpoints, string activityId, int firstNumber = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstNumber + endpoints, 10_000);
        var buffer = new ArrayBufferWriter<byte>(endpoints * 600);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Message");
            writer.WriteEndObject();
            writer.WriteString("Data", TemplateData);
            writer.WriteString("ApplicationId", "71b0f21869ac444eb0185d43539b97ea");
            writer.WriteString("CampaignId", "54115c33de414441b604a71f59a2ccc3");
            writer.WriteString("TreatmentId", "0");
            writer.WriteString("ActivityId", activityId);
            writer.WriteString("ScheduledTime", "2026-11-24T09:00:00.000Z");
            writer.WriteStartObject("Endpoints");
            for (var i = firstNumber; i < firstNumber + endpoints; i++)
            {
                var n = i.ToString("D4", CultureInfo.InvariantCulture);
                writer.WriteStartObject("88ec5ed2e7b7e6db9a4bb1ffe9dc" + n);
                writer.WriteString("ChannelType", "CUSTOM");
                writer.WriteString("Address", "+1415555" + n);
                writer.WriteString("EndpointStatus", "ACTIVE");
                writer.WriteString("OptOut", "NONE");
                writer.WriteStartObject("Location");
                writer.WriteString("City", "San Francisco");
                writer.WriteString("Country", "US");
                writer.WriteEndObject();
                writer.WriteStartObject("Demographic");
                writer.WriteString("Locale", "en_US");
                writer.WriteString("Platform", "android");
                writer.WriteEndObject();
                writer.WriteString("EffectiveDate", "2026-11-20T18:32:56.291Z");
                writer.WriteStartObject("Attributes");
                writer.WriteStartArray("CartItem");
                writer.WriteStringValue("Champion T Shirt, size " + (i % 3 == 0 ? "M" : "L"));
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteStartObject("User");
                writer.WriteString("UserId", "user-" + n);
                writer.WriteStartObject("UserAttributes");
                writer.WriteStartArray("FirstName");
                writer.WriteStringValue("Customer" + n);
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteString("CreationDate", "2026-11-20T18:32:56.291Z");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>How many endpoints of a function response have each status.</summary>
    public static Dictionary<string, int> CountStatuses(ReadOnlySpan<byte> responseJson)
    {
        using var document = JsonDocument.Parse(responseJson.ToArray());
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var endpoint in document.RootElement.EnumerateObject())
        {
            var status = endpoint.Value.GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString() ?? "?";
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }

    public static string Describe(Dictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));
}
