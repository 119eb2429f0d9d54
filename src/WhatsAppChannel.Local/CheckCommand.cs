using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Events;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.Templates;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Local;

/// <summary><c>check DATA.json|EVENT.json</c>: the function's template preflight for an author, before a campaign starts,
/// and the text the first recipient would read.</summary>
internal sealed class CheckCommand : AsyncCommand<CheckSettings>
{
    /// <summary>Stands in for a recipient when the file has none (a Data file) or <c>--sample</c> is given; a UK number,
    /// so no country rule of the number changes what is shown.</summary>
    private const string SampleAddress = "+447700900123";

    public override async Task<int> ExecuteAsync(CommandContext context, CheckSettings settings, CancellationToken cancellationToken)
    {
        byte[] file;
        try
        {
            file = await File.ReadAllBytesAsync(settings.File, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: cannot read {settings.File}: {ex.Message}");
            return ExitCodes.Failure;
        }

        var sandboxOptions = new SandboxOptions();
        await using var sandbox = settings.GraphUrl is null ? await SandboxServer.StartAsync(sandboxOptions, cancellationToken) : null;
        FunctionConfiguration configuration;
        CampaignEvent campaign;
        try
        {
            configuration = FunctionConfiguration.FromLookup(Overrides(settings, sandbox, sandboxOptions));
            campaign = Campaign(file, settings.Sample);
        }
        catch (ChannelException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        if (configuration.BusinessAccountId is not { } businessAccountId)
        {
            await Console.Error.WriteLineAsync("error: give --waba-id (or WHATSAPP_BUSINESS_ACCOUNT_ID): the template listing belongs to a WhatsApp Business Account");
            return ExitCodes.UnusableInput;
        }

        var template = campaign.Template!;
        var asked = settings.Language ?? template.Language;
        if (asked is not null && LanguageSelector.ToWhatsAppCode(asked) is null)
        {
            await Console.Error.WriteLineAsync($"InvalidEvent: language '{asked}' is not a language code such as en_US or es");
            return ExitCodes.UnusableInput;
        }

        var language = LanguageSelector.ToWhatsAppCode(asked) ?? configuration.DefaultLanguage;
        IReadOnlyList<TemplateDefinition> definitions;
        using (var listing = new TemplateListingClient(
            configuration.ApiBaseUrl,
            configuration.ApiVersion,
            businessAccountId,
            WhatsAppClient.CreateDefaultHandler(configuration.ApiBaseUrl),
            AccessTokenCacheFactory.Create(configuration, TimeProvider.System)))
        {
            try
            {
                definitions = await listing.ListAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is TemplateListingException or ChannelException)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return ExitCodes.Failure;
            }
        }

        if (TemplateCheck.Verdict(definitions, template.Name, language, template.Components) is { } verdict)
        {
            Console.WriteLine(verdict);
            return ExitCodes.UnusableInput;
        }

        var definition = definitions.First(d => d.Name == template.Name && d.Language == language);
        AnsiConsole.MarkupLineInterpolated($"[green]ok[/]: template {template.Name} ({language}, {definition.Category ?? "no category"}) fits Data");
        try
        {
            WritePreview(configuration, campaign, language, definition);
        }
        catch (ChannelException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        return ExitCodes.Success;
    }

    /// <summary>The listing is Meta's API whatever the transport; the sandbox's listing unless <c>--graph-url</c>.</summary>
    private static Func<string, string?> Overrides(CheckSettings settings, SandboxServer? sandbox, SandboxOptions options)
    {
        var graph = GraphOverrides.Lookup(settings.GraphUrl, settings.Token, phoneNumberId: null, sandbox, options);
        return name => name switch
        {
            "WHATSAPP_TRANSPORT" => "meta",
            "WHATSAPP_BUSINESS_ACCOUNT_ID" => sandbox is not null ? options.BusinessAccountId : settings.BusinessAccountId ?? graph(name),
            // Nothing is sent: any sending number will do.
            "FB_BUSINESS_PHONE_ID" => graph(name) ?? options.PhoneNumberId,
            _ => graph(name),
        };
    }

    /// <summary>The file as the function would see it: an event as is, a Data file (or <c>--sample</c>) as a one-item batch.</summary>
    private static CampaignEvent Campaign(byte[] file, string[] sample)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(file, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidEventException("the file is not JSON: " + ex.Message, ex);
        }

        string data;
        if (root is JsonObject { } dataObject && dataObject.ContainsKey("templateName"))
        {
            data = dataObject.ToJsonString();
        }
        else
        {
            var parsed = EventParser.Parse(file);
            if (parsed.Template is not { } carried)
            {
                throw new InvalidEventException("the event carries no Data (Amazon Connect reads it from Parameter Store): check the Data file instead");
            }

            if (sample.Length == 0)
            {
                return parsed;
            }

            data = carried.Data;
        }

        var row = new JsonObject { ["Address"] = SampleAddress };
        foreach (var pair in sample)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            row[pair[..at]] = pair[(at + 1)..];
        }

        var batch = new JsonObject
        {
            ["BatchInput"] = new JsonObject { ["Data"] = data, ["CampaignId"] = "check", ["RunId"] = "check" },
            ["Items"] = new JsonArray(row),
        };
        return EventParser.Parse(Encoding.UTF8.GetBytes(batch.ToJsonString()));
    }

    /// <summary>The first recipient the function would send to, and what they would read.</summary>
    private static void WritePreview(FunctionConfiguration configuration, CampaignEvent campaign, string language, TemplateDefinition definition)
    {
        var planner = new DeliveryPlanner(new PhoneNumberNormalizer(configuration.DefaultRegion), new LanguageSelector(language, useEndpointLocale: false));
        var plan = planner.Plan(campaign with { Template = campaign.Template! with { Language = language } });
        if (plan.Sends.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]no recipient in the file would be sent to[/] (each is skipped; see invoke)");
            return;
        }

        var first = plan.Sends[0];
        if (definition.Texts is not { } texts)
        {
            AnsiConsole.MarkupLine("[yellow]the listing gives no body text for this template[/]");
            return;
        }

        using var body = JsonDocument.Parse(first.Body);
        var components = body.RootElement.GetProperty("template").TryGetProperty("components", out var value) ? value : default;
        AnsiConsole.MarkupLineInterpolated($"first recipient ({first.MaskedAddress}) reads:");
        foreach (var line in TemplatePreview.Render(texts, components).Split('\n'))
        {
            AnsiConsole.MarkupLineInterpolated($"  {line}");
        }
    }
}
