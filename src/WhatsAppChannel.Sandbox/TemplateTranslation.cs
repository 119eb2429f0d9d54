namespace WhatsAppChannel.Sandbox;

/// <summary>One language of a template: what the recipient reads and which parameters it needs.</summary>
internal sealed record TemplateTranslation(
    PlaceholderText? Header,
    PlaceholderText Body,
    string? Footer,
    IReadOnlyList<TemplateButton> Buttons);
