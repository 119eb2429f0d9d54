using System.Text.Json.Serialization;

namespace WhatsAppChannel.Sandbox;

// Response bodies by Meta's documented field names (Cloud API "Send message" and Graph API errors).

internal sealed record SendMessageResponse(
    [property: JsonPropertyName("messaging_product")] string MessagingProduct,
    [property: JsonPropertyName("contacts")] IReadOnlyList<SentContact> Contacts,
    [property: JsonPropertyName("messages")] IReadOnlyList<SentMessage> Messages);

internal sealed record SentContact(
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("wa_id")] string WaId);

internal sealed record SentMessage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("message_status")] string MessageStatus);

internal sealed record GraphErrorEnvelope(
    [property: JsonPropertyName("error")] GraphErrorBody Error);

internal sealed record GraphErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("error_data")] GraphErrorData? ErrorData,
    [property: JsonPropertyName("error_subcode")] int? ErrorSubcode,
    [property: JsonPropertyName("fbtrace_id")] string FbTraceId);

internal sealed record GraphErrorData(
    [property: JsonPropertyName("messaging_product")] string MessagingProduct,
    [property: JsonPropertyName("details")] string Details);

// The sandbox's own endpoints (/_sandbox/...).

internal sealed record SandboxMessageView(
    string Id,
    string To,
    string Template,
    string Language,
    string RenderedText,
    IReadOnlyList<string> Buttons,
    DateTimeOffset Timestamp);

internal sealed record FaultSettingsView(
    double LatencyMs,
    double ServerErrorRate,
    int? MessagesPerSecondCap,
    double? PairRateWindowMs,
    IReadOnlyList<string> UndeliverableNumbers,
    IReadOnlyList<string> ReservedUndeliverable);

internal sealed record SandboxProblem(string Error);
