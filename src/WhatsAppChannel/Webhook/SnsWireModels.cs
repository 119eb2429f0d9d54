using System.Text.Json.Serialization;

namespace WhatsAppChannel.Webhook;

// An SNS event as Lambda receives it from a topic subscription, carrying AWS End User Messaging Social events:
// each Message is JSON whose whatsAppWebhookEntry is one Meta "entry", itself as a JSON string.

internal sealed record SnsEvent([property: JsonPropertyName("Records")] IReadOnlyList<SnsRecord>? Records);

internal sealed record SnsRecord(
    [property: JsonPropertyName("EventSource")] string? EventSource,
    [property: JsonPropertyName("Sns")] SnsMessage? Sns);

internal sealed record SnsMessage(
    [property: JsonPropertyName("Type")] string? Type,
    [property: JsonPropertyName("Message")] string? Message);

internal sealed record SocialMessagingEvent(
    [property: JsonPropertyName("whatsAppWebhookEntry")] string? WhatsAppWebhookEntry);
