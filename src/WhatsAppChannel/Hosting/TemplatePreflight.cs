using WhatsAppChannel.Observability;
using WhatsAppChannel.Events;
using WhatsAppChannel.Templates;

namespace WhatsAppChannel.Hosting;

/// <summary>Refuses a batch whose Data cannot fit its approved template, before any send. When the listing cannot be
/// read it never blocks: it warns once per process and lets the batch go as it would without preflight.</summary>
internal sealed class TemplatePreflight(TemplateCatalog catalog, JsonLog log)
{
    private int _warned;

    /// <param name="language">The language every send uses; null when it varies per endpoint.</param>
    /// <returns>The template's category (MARKETING, UTILITY, ...); null when the listing could not be read.</returns>
    /// <exception cref="InvalidEventException">Data does not fit the template; the message is the one-line verdict.</exception>
    public async Task<string?> CheckAsync(CampaignTemplate campaign, string? language, CancellationToken cancellationToken)
    {
        IReadOnlyList<TemplateDefinition> definitions;
        try
        {
            definitions = await catalog.GetAsync(campaign.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (TemplateListingException ex)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                log.Write(LogLevel.Warning, "template preflight skipped", w => w.WriteString("error", ex.Message));
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null; // Out of time: the sends report the deadline as they would without preflight.
        }

        if (TemplateCheck.Verdict(definitions, campaign.Name, language, campaign.Components) is { } verdict)
        {
            throw new InvalidEventException(verdict);
        }

        // Meta categorizes a template, not a translation: any approved one tells.
        return definitions.FirstOrDefault(d => d.IsApproved && d.Name == campaign.Name && (language is null || d.Language == language))?.Category;
    }
}
