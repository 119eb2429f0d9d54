using System.Buffers;
using System.Text.Json;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Planning;

/// <summary>Decides, without I/O, what each endpoint gets: a personalized request body or a skip with its reason.</summary>
internal sealed class DeliveryPlanner(PhoneNumberNormalizer normalizer, LanguageSelector languages)
{
    public DeliveryPlan Plan(CampaignEvent campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var order = new List<string>(campaign.Endpoints.Count);
        var sends = new List<PlannedSend>(campaign.Endpoints.Count);
        var decided = new List<EndpointResult>();
        if (campaign.Template is not { } template)
        {
            // The Data kept outside the event is missing or unusable: nothing can be sent, and every item says why.
            var reason = campaign.DataProblem ?? FailureReasons.CampaignDataUnavailable;
            order.AddRange(campaign.Endpoints.Select(e => e.Id));
            decided.AddRange(campaign.Endpoints.Select(e => new EndpointResult(e.Id, EndpointStatus.Failed) { Reason = reason }));
            return new DeliveryPlan(order, sends, decided);
        }

        var components = Compile(template.Components);
        var dataLanguage = DataLanguage(template.Language);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var scope = campaign.Scope;
        using var keys = new IdempotencyKeys(scope.ApplicationId, scope.CampaignOrJourneyId, scope.TreatmentId, scope.ActivityId, scope.ScheduledTime, template.Data);

        // One components buffer for the whole event: each endpoint's components are written, copied into its
        // request body, then overwritten by the next endpoint's.
        var componentsBuffer = new ArrayBufferWriter<byte>(1024);
        using var componentsWriter = new Utf8JsonWriter(componentsBuffer);
        var bodyBuffer = new ArrayBufferWriter<byte>(1024);
        using var bodyWriter = new Utf8JsonWriter(bodyBuffer);
        Span<char> callbackData = stackalloc char[CallbackData.MaxLength];

        foreach (var endpoint in campaign.Endpoints)
        {
            order.Add(endpoint.Id);
            if (endpoint.Rejection is { } rejection)
            {
                decided.Add(new EndpointResult(endpoint.Id, EndpointStatus.Failed) { Reason = rejection });
                continue;
            }

            string? address = null;
            string? to = null;
            string? reason;
            try
            {
                address = endpoint.Address;
                var normalized = normalizer.Normalize(address);
                to = normalized.Digits;
                reason = Precheck(endpoint) ?? normalized.SkipReason;
                if (reason is null)
                {
                    componentsBuffer.ResetWrittenCount();
                    componentsWriter.Reset();
                    reason = components?.RenderTo(componentsWriter, endpoint, static (target, path) => EndpointFields.Resolve(target, path));
                    componentsWriter.Flush();
                }

                if (reason is null && !addresses.Add(to!))
                {
                    reason = SkipReasons.DuplicateAddress;
                }

                if (reason is null)
                {
                    var language = languages.Select(dataLanguage, dataLanguage is null && languages.UsesEndpointLocale ? endpoint.Locale : null);
                    bodyBuffer.ResetWrittenCount();
                    bodyWriter.Reset();
                    var key = endpoint.IdempotencyToken is { } token ? IdempotencyKeys.ForToken(token) : keys.For(endpoint.Id);
                    var callbackLength = CallbackData.FormatInto(callbackData, key, scope.CampaignOrJourneyId);
                    MessageRequestWriter.WriteTo(bodyWriter, to!, template.Name, language, componentsBuffer.WrittenSpan, callbackData[..callbackLength]);
                    bodyWriter.Flush();
                    var body = bodyBuffer.WrittenSpan.ToArray();
                    sends.Add(new PlannedSend(endpoint.Id, to!, body, key) { CampaignId = scope.CampaignOrJourneyId });
                    continue;
                }
            }
            catch (InvalidOperationException)
            {
                // A field holds text System.Text.Json cannot transcode (a lone surrogate): this endpoint is unusable.
                reason = SkipReasons.InvalidEndpoint;
            }

            decided.Add(new EndpointResult(endpoint.Id, EndpointStatus.Skipped)
            {
                Reason = reason,
                MaskedAddress = PhoneMask.Mask(to ?? address),
            });
        }

        return new DeliveryPlan(order, sends, decided);
    }

    private static ComponentTemplate? Compile(JsonElement? components)
    {
        try
        {
            return components is { } value ? ComponentTemplate.Compile(value) : null;
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidEventException("Data.params holds text that is not valid Unicode", ex);
        }
    }

    /// <summary><c>Data.language</c> in WhatsApp's form (<c>en-us</c> is sent as <c>en_US</c>), like the default.</summary>
    private static string? DataLanguage(string? language) => language is null
        ? null
        : LanguageSelector.ToWhatsAppCode(language)
            ?? throw new InvalidEventException(language.Length <= 35 && !language.Any(char.IsControl)
                ? $"Data.language '{language}' is not a language code such as en_US or es"
                : "Data.language is not a language code such as en_US or es");

    private static string? Precheck(PinpointEndpoint endpoint)
    {
        if (endpoint.Raw.ValueKind != JsonValueKind.Object)
        {
            return SkipReasons.InvalidEndpoint;
        }

        if (string.Equals(endpoint.OptOut, "ALL", StringComparison.OrdinalIgnoreCase))
        {
            return SkipReasons.OptedOut;
        }

        if (string.Equals(endpoint.EndpointStatus, "INACTIVE", StringComparison.OrdinalIgnoreCase))
        {
            return SkipReasons.Inactive;
        }

        return null;
    }
}
