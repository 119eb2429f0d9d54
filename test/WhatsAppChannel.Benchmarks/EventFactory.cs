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
        var builder = new PinpointEventBuilder().WithData(TemplateData).WithActivityId(activityId);
        for (var i = firstNumber; i < firstNumber + endpoints; i++)
        {
            var n = i.ToString("D4", CultureInfo.InvariantCulture);
            builder.Add(
                "88ec5ed2e7b7e6db9a4bb1ffe9dc" + n,
                "+1415555" + n,
                firstName: "Customer" + n,
                attributes: new Dictionary<string, string> { ["CartItem"] = "Champion T Shirt, size " + (i % 3 == 0 ? "M" : "L") });
        }

        return builder.ToUtf8Bytes();
    }

    /// <summary>How many endpoints of a function response have each status.</summary>
    public static Dictionary<string, int> CountStatuses(string responseJson)
    {
        using var document = JsonDocument.Parse(responseJson);
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
