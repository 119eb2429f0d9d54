namespace WhatsAppChannel.Sandbox;

/// <summary>A template message the sandbox accepted, with the text the recipient would read.</summary>
/// <param name="Id">The <c>wamid.</c> id returned to the caller.</param>
/// <param name="To">Recipient digits as sent in <c>to</c>.</param>
/// <param name="TemplateName">Template name.</param>
/// <param name="Language">Template language code.</param>
/// <param name="RenderedText">Header (if any), body and footer (if any), one per line, placeholders replaced.</param>
/// <param name="AcceptedAt">When the sandbox accepted it.</param>
public sealed record SandboxMessage(
    string Id,
    string To,
    string TemplateName,
    string Language,
    string RenderedText,
    DateTimeOffset AcceptedAt)
{
    /// <summary>The template's buttons as the recipient would see them, e.g. "[Pay now]" or "[Track parcel] https://...".</summary>
    public IReadOnlyList<string> Buttons { get; init; } = [];

    /// <summary>The request's <c>biz_opaque_callback_data</c>, if any.</summary>
    public string? CallbackData { get; init; }

    /// <summary>Sent to <c>/marketing_messages</c> (Meta's Marketing Messages API) rather than <c>/messages</c>.</summary>
    public bool ViaMarketingMessages { get; init; }

    /// <summary>Header, body, footer and buttons apart, as a phone shows them.</summary>
    public required MessageParts Parts { get; init; }
}
