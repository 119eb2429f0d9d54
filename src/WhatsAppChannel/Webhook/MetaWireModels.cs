using System.Text.Json.Serialization;

namespace WhatsAppChannel.Webhook;

// Meta's webhook notification (WhatsApp Business Account, field "messages"): only what the webhook reads.
// Every other field, and every kind of change it does not know, is ignored rather than refused.

internal sealed record MetaNotification(
    [property: JsonPropertyName("object")] string? Object,
    [property: JsonPropertyName("entry")] IReadOnlyList<MetaEntry>? Entry);

internal sealed record MetaEntry(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("changes")] IReadOnlyList<MetaChange>? Changes);

internal sealed record MetaChange(
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("value")] MetaChangeValue? Value);

internal sealed record MetaChangeValue(
    [property: JsonPropertyName("metadata")] MetaMetadata? Metadata,
    [property: JsonPropertyName("statuses")] IReadOnlyList<MetaStatus>? Statuses,
    [property: JsonPropertyName("messages")] IReadOnlyList<MetaInboundMessage>? Messages);

internal sealed record MetaMetadata([property: JsonPropertyName("phone_number_id")] string? PhoneNumberId);

internal sealed record MetaStatus(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("timestamp")] string? Timestamp,
    [property: JsonPropertyName("recipient_id")] string? RecipientId,
    [property: JsonPropertyName("biz_opaque_callback_data")] string? BizOpaqueCallbackData,
    [property: JsonPropertyName("errors")] IReadOnlyList<MetaError>? Errors);

internal sealed record MetaError(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("title")] string? Title);

internal sealed record MetaInboundMessage(
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("text")] MetaText? Text,
    [property: JsonPropertyName("button")] MetaButton? Button,
    [property: JsonPropertyName("interactive")] MetaInteractive? Interactive);

internal sealed record MetaText([property: JsonPropertyName("body")] string? Body);

internal sealed record MetaButton(
    [property: JsonPropertyName("payload")] string? Payload,
    [property: JsonPropertyName("text")] string? Text);

internal sealed record MetaInteractive(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("button_reply")] MetaButtonReply? ButtonReply);

internal sealed record MetaButtonReply(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title);
