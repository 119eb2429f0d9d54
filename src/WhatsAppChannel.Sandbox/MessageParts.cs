namespace WhatsAppChannel.Sandbox;

/// <summary>An accepted message part by part, as a phone shows it: header, body and footer with parameters in place,
/// then its buttons.</summary>
public sealed record MessageParts(string? Header, string Body, string? Footer, IReadOnlyList<ButtonPart> Buttons);

/// <summary>A button as shown; a URL button's URL with its suffix filled in.</summary>
public sealed record ButtonPart(string Text, string? Url);
