using System.Text.Json;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// Applies a <c>POST /_sandbox/faults</c> body: only the properties present change; null switches a limit off.
/// Properties: latencyMs, serverErrorRate, messagesPerSecondCap, pairRateWindowMs, undeliverableNumbers.
/// </summary>
internal static class FaultSettingsUpdate
{
    public static FaultSettings Apply(FaultSettings current, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The faults body must be a JSON object.");
        }

        var updated = current;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            updated = property.Name switch
            {
                "latencyMs" => updated with { Latency = TimeSpan.FromMilliseconds(Number(property)) },
                "serverErrorRate" => updated with { ServerErrorRate = Number(property) },
                "messagesPerSecondCap" => updated with
                {
                    MessagesPerSecondCap = value.ValueKind == JsonValueKind.Null ? null : checked((int)Number(property)),
                },
                "pairRateWindowMs" => updated with
                {
                    PairRateWindow = value.ValueKind == JsonValueKind.Null ? null : TimeSpan.FromMilliseconds(Number(property)),
                },
                "undeliverableNumbers" => updated with { UndeliverableNumbers = Strings(property) },
                _ => throw new FormatException($"Unknown fault setting '{property.Name}'."),
            };
        }

        return updated;
    }

    private static double Number(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.Number
            ? property.Value.GetDouble()
            : throw new FormatException($"'{property.Name}' must be a number.");

    private static string[] Strings(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String)
            ? [.. property.Value.EnumerateArray().Select(item => item.GetString()!)]
            : throw new FormatException($"'{property.Name}' must be an array of strings.");
}
