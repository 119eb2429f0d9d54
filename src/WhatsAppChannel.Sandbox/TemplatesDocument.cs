namespace WhatsAppChannel.Sandbox;

// The on-disk shape of samples/templates.json; validated into MessageTemplate by TemplateRegistry.
internal sealed class TemplatesDocument
{
    public List<TemplateEntry>? Templates { get; set; }
}

internal sealed class TemplateEntry
{
    public string? Name { get; set; }

    public string? Category { get; set; }

    public Dictionary<string, TemplateTranslationEntry>? Languages { get; set; }
}

internal sealed class TemplateTranslationEntry
{
    public string? Header { get; set; }

    public string? Body { get; set; }

    public string? Footer { get; set; }

    public List<TemplateButtonEntry>? Buttons { get; set; }
}

internal sealed class TemplateButtonEntry
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? Url { get; set; }
}
