namespace WhatsAppChannel.Sandbox;

/// <summary>A send request that passed validation, rendered as the recipient would read it.</summary>
internal sealed record ValidatedMessage(string To, string TemplateName, string Language, string RenderedText, IReadOnlyList<string> Buttons)
{
    /// <summary>The request's <c>biz_opaque_callback_data</c>, echoed in its status webhooks as Meta does.</summary>
    public string? CallbackData { get; init; }

    /// <summary>Sent to <c>/marketing_messages</c> (Meta's Marketing Messages API) rather than <c>/messages</c>.</summary>
    public bool ViaMarketingMessages { get; init; }

    public required MessageParts Parts { get; init; }
}
