using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>One endpoint of the event in Pinpoint's shape, which every event shape is read into: the fields planning
/// needs, plus the raw object for personalization.</summary>
internal sealed record PinpointEndpoint(string Id, JsonElement Raw)
{
    public string? Address => StringProperty(Raw, "Address");
    public string? EndpointStatus => StringProperty(Raw, "EndpointStatus");
    public string? OptOut => StringProperty(Raw, "OptOut");
    public string? Locale => Raw.ValueKind == JsonValueKind.Object && Raw.TryGetProperty("Demographic", out var d)
        ? StringProperty(d, "Locale")
        : null;

    /// <summary>The sender's own idempotency token for this item (Amazon Connect's), used as the ledger key.</summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>Why the item cannot be sent at all, decided while reading it (e.g. a profile without a phone number):
    /// the endpoint fails with this reason.</summary>
    public string? Rejection { get; init; }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
