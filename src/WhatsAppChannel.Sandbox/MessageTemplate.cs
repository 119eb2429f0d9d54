namespace WhatsAppChannel.Sandbox;

/// <summary>An approved template and its translations keyed by language code (e.g. en_US, pt_BR, es).</summary>
internal sealed record MessageTemplate(string Name, string Category, IReadOnlyDictionary<string, TemplateTranslation> Translations);
