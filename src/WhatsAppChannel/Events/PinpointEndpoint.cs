using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>One endpoint of the event: the fields planning needs, plus the raw object for personalization.</summary>
internal sealed record PinpointEndpoint(string Id, JsonElement Raw)
{
    public string? Address => StringProperty(Raw, "Address");
    public string? EndpointStatus => StringProperty(Raw, "EndpointStatus");
    public string? OptOut => StringProperty(Raw, "OptOut");
    public string? Locale => Raw.ValueKind == JsonValueKind.Object && Raw.TryGetProperty("Demographic", out var d)
        ? StringProperty(d, "Locale")
        : null;

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
