namespace WhatsAppChannel.Sandbox;

// GET /_sandbox/chats: what the preview page shows, one chat per recipient in the order they first got a message.

internal sealed record ChatsView(IReadOnlyList<ChatView> Chats);

internal sealed record ChatView(string Recipient, IReadOnlyList<ChatMessageView> Messages);

/// <param name="Status">accepted (no status went out yet), sent, delivered, read or failed.</param>
internal sealed record ChatMessageView(
    string Id,
    string Template,
    string Language,
    string? Header,
    string Body,
    string? Footer,
    IReadOnlyList<ButtonPart> Buttons,
    DateTimeOffset AcceptedAt,
    string Status,
    int? ErrorCode,
    bool ViaMarketingMessages);
