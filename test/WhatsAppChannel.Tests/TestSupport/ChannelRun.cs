using System.Text.Json;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>What one invocation of the real handler produced: the response, every log line and how long it took.</summary>
internal sealed class ChannelRun
{
    public required JsonElement Response { get; init; }
    public required IReadOnlyList<string> LogLines { get; init; }
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The time the invocation was given (its deadline minus its start).</summary>
    public required TimeSpan Timeout { get; init; }

    public JsonElement Attributes(string endpointId) => Response.GetProperty(endpointId).GetProperty("EventAttributes");

    public string Status(string endpointId) => Attribute(endpointId, "whatsapp_status")!;

    public string? Attribute(string endpointId, string name) =>
        Attributes(endpointId).TryGetProperty(name, out var value) ? value.GetString() : null;

    public int Attempts(string endpointId) => int.Parse(Attribute(endpointId, "whatsapp_attempts") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The response's endpoint ids, repeats included, in order.</summary>
    public IReadOnlyList<string> EndpointIds => [.. Response.EnumerateObject().Select(p => p.Name)];
}
