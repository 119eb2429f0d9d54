namespace WhatsAppChannel.Idempotency;

/// <summary>One status of one message, as the webhook read it.</summary>
/// <param name="MessageId">Meta's <c>wamid.</c> id of the message.</param>
/// <param name="State">The state the status reports.</param>
/// <param name="ErrorCode">Meta's error code of a failed status.</param>
/// <param name="IdempotencyKey">The key the send put in <c>biz_opaque_callback_data</c>, when present; it finds
/// a send whose outcome was unknown and records it as sent with this message id.</param>
/// <param name="RecipientHash">SHA-256 of the recipient's digits (<see cref="NumberHash"/>), when given.</param>
/// <param name="CampaignId">The campaign the send put in <c>biz_opaque_callback_data</c> beside its key, when present: a message
/// the status finds first (its send's answer lost or not yet recorded) still counts for its campaign.</param>
internal sealed record DeliveryStatusUpdate(
    string MessageId,
    DeliveryState State,
    string? ErrorCode = null,
    string? IdempotencyKey = null,
    string? RecipientHash = null,
    string? CampaignId = null);
