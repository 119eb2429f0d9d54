using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Webhook;

/// <summary>Turns Meta's notification entries into the statuses and replies the webhook acts on; everything else is left out.</summary>
internal static class NotificationReader
{
    public static IReadOnlyList<StatusNotice> Statuses(IEnumerable<MetaEntry?> entries) =>
        [.. Values(entries)
            .SelectMany(value => (value.Statuses ?? []).Select(status => ToNotice(status, value.Metadata?.PhoneNumberId)))
            .OfType<StatusNotice>()];

    public static IReadOnlyList<MetaInboundMessage> Replies(IEnumerable<MetaEntry?> entries) =>
        [.. Values(entries)
            .SelectMany(value => value.Messages ?? [])
            .OfType<MetaInboundMessage>()
            .Where(message => !string.IsNullOrEmpty(message.From))];

    /// <summary>The texts a reply carries: a text body, a quick-reply button's text and payload, an interactive button's title and id.</summary>
    public static IEnumerable<string?> TextsOf(MetaInboundMessage message) => message.Type switch
    {
        "text" => [message.Text?.Body],
        "button" => [message.Button?.Text, message.Button?.Payload],
        "interactive" when message.Interactive?.Type == "button_reply" => [message.Interactive.ButtonReply?.Title, message.Interactive.ButtonReply?.Id],
        _ => [],
    };

    // Only the "messages" field carries statuses and replies; other fields (template updates, account alerts) are not ours.
    private static IEnumerable<MetaChangeValue> Values(IEnumerable<MetaEntry?> entries) =>
        entries
            .SelectMany(entry => entry?.Changes ?? [])
            .Where(change => change?.Field is null or "messages" && change?.Value is not null)
            .Select(change => change!.Value!);

    private static StatusNotice? ToNotice(MetaStatus? status, string? phoneNumberId)
    {
        if (status is null || string.IsNullOrEmpty(status.Id))
        {
            return null;
        }

        DeliveryState? state = status.Status switch
        {
            "sent" => DeliveryState.Sent,
            "delivered" => DeliveryState.Delivered,
            "read" => DeliveryState.Read,
            "failed" => DeliveryState.Failed,
            _ => null, // "deleted", "warning", "played" and anything new: not a delivery step
        };
        if (state is null)
        {
            return null;
        }

        var code = state == DeliveryState.Failed ? status.Errors?.FirstOrDefault(e => e?.Code is not null)?.Code : null;
        var recipient = string.IsNullOrEmpty(status.RecipientId) ? null : status.RecipientId;
        var (key, campaignId) = CallbackData.Parse(status.BizOpaqueCallbackData);
        var update = new DeliveryStatusUpdate(
            status.Id,
            state.Value,
            code?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            key,
            recipient is null ? null : NumberHash.Of(recipient),
            campaignId);
        return new StatusNotice(update, recipient, string.IsNullOrEmpty(phoneNumberId) ? null : phoneNumberId);
    }
}

/// <summary>One status to record, with the recipient's digits for the masked log line only, and the business number
/// it concerns (the change's <c>metadata.phone_number_id</c>) for the metrics.</summary>
internal sealed record StatusNotice(DeliveryStatusUpdate Update, string? Recipient, string? PhoneNumberId);
