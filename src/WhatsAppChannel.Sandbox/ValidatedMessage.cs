namespace WhatsAppChannel.Sandbox;

/// <summary>A send request that passed validation, rendered as the recipient would read it.</summary>
internal sealed record ValidatedMessage(string To, string TemplateName, string Language, string RenderedText, IReadOnlyList<string> Buttons);
