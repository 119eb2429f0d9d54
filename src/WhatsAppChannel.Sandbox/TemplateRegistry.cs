using System.Text.Json;

namespace WhatsAppChannel.Sandbox;

/// <summary>The templates the sandbox accepts, loaded from a templates.json file.</summary>
internal sealed class TemplateRegistry
{
    private const string EmbeddedResourceName = "WhatsAppChannel.Sandbox.templates.json";

    private readonly Dictionary<string, MessageTemplate> _templates;

    private TemplateRegistry(Dictionary<string, MessageTemplate> templates, string source)
    {
        _templates = templates;
        Source = source;
    }

    /// <summary>Where the templates came from: a file path or "embedded".</summary>
    public string Source { get; }

    public IReadOnlyCollection<MessageTemplate> Templates => _templates.Values;

    public bool TryGet(string name, out MessageTemplate template) => _templates.TryGetValue(name, out template!);

    /// <summary>Loads <paramref name="templatesFile"/>, else samples/templates.json above the app directory, else the embedded copy.</summary>
    public static async Task<TemplateRegistry> LoadAsync(string? templatesFile, CancellationToken cancellationToken)
    {
        if (templatesFile is not null)
        {
            if (!File.Exists(templatesFile))
            {
                throw new FileNotFoundException($"Templates file '{templatesFile}' does not exist.", templatesFile);
            }

            return await LoadFileAsync(Path.GetFullPath(templatesFile), cancellationToken).ConfigureAwait(false);
        }

        var found = FindSamplesFile(AppContext.BaseDirectory);
        if (found is not null)
        {
            return await LoadFileAsync(found, cancellationToken).ConfigureAwait(false);
        }

        return await LoadEmbeddedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The copy of samples/templates.json built into the assembly.</summary>
    public static async Task<TemplateRegistry> LoadEmbeddedAsync(CancellationToken cancellationToken)
    {
        var stream = typeof(TemplateRegistry).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{EmbeddedResourceName}' is missing from the sandbox assembly.");
        await using (stream.ConfigureAwait(false))
        {
            return await ParseAsync(stream, "embedded", cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<TemplateRegistry> ParseAsync(Stream json, string source, CancellationToken cancellationToken)
    {
        TemplatesDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync(json, SandboxJsonContext.Default.TemplatesDocument, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Templates file '{source}' is not valid JSON: {e.Message}", e);
        }

        if (document?.Templates is not { Count: > 0 } entries)
        {
            throw new InvalidDataException($"Templates file '{source}' has no \"templates\".");
        }

        var templates = new Dictionary<string, MessageTemplate>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var template = ToTemplate(entry, source);
            if (!templates.TryAdd(template.Name, template))
            {
                throw new InvalidDataException($"Templates file '{source}': template '{template.Name}' is defined twice.");
            }
        }

        return new TemplateRegistry(templates, source);
    }

    private static async Task<TemplateRegistry> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ParseAsync(stream, path, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? FindSamplesFile(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "templates.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static MessageTemplate ToTemplate(TemplateEntry entry, string source)
    {
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            throw new InvalidDataException($"Templates file '{source}': a template has no \"name\".");
        }

        var where = $"Templates file '{source}', template '{entry.Name}'";
        if (entry.Languages is not { Count: > 0 } languages)
        {
            throw new InvalidDataException($"{where}: no \"languages\".");
        }

        var translations = new Dictionary<string, TemplateTranslation>(StringComparer.Ordinal);
        foreach (var (code, translation) in languages)
        {
            translations[code] = ToTranslation(translation, $"{where}, language '{code}'");
        }

        return new MessageTemplate(entry.Name, entry.Category ?? "UTILITY", translations);
    }

    private static TemplateTranslation ToTranslation(TemplateTranslationEntry entry, string where)
    {
        if (string.IsNullOrWhiteSpace(entry.Body))
        {
            throw new InvalidDataException($"{where}: no \"body\".");
        }

        var buttons = new List<TemplateButton>();
        foreach (var button in entry.Buttons ?? [])
        {
            buttons.Add(ToButton(button, $"{where}, button {buttons.Count}"));
        }

        var header = entry.Header is null ? null : PlaceholderText.Parse(entry.Header, $"{where}, header");
        if (header is { ParameterCount: > 1 })
        {
            throw new InvalidDataException($"{where}: a text header takes at most one parameter.");
        }

        return new TemplateTranslation(header, PlaceholderText.Parse(entry.Body, $"{where}, body"), entry.Footer, buttons);
    }

    private static TemplateButton ToButton(TemplateButtonEntry entry, string where)
    {
        if (string.IsNullOrWhiteSpace(entry.Text))
        {
            throw new InvalidDataException($"{where}: no \"text\".");
        }

        switch (entry.Type?.ToUpperInvariant())
        {
            case "QUICK_REPLY":
                return new TemplateButton(TemplateButtonKind.QuickReply, entry.Text, null);
            case "PHONE_NUMBER":
                return new TemplateButton(TemplateButtonKind.PhoneNumber, entry.Text, null);
            case "URL":
                if (string.IsNullOrWhiteSpace(entry.Url))
                {
                    throw new InvalidDataException($"{where}: a URL button needs \"url\".");
                }

                var url = PlaceholderText.Parse(entry.Url, where);
                if (url.ParameterCount > 1 || (url.ParameterCount == 1 && !entry.Url.TrimEnd().EndsWith("}}", StringComparison.Ordinal)))
                {
                    throw new InvalidDataException($"{where}: a URL button may only end in one {{{{1}}}} suffix.");
                }

                return new TemplateButton(TemplateButtonKind.Url, entry.Text, url);
            default:
                throw new InvalidDataException($"{where}: \"type\" must be QUICK_REPLY, URL or PHONE_NUMBER.");
        }
    }
}
