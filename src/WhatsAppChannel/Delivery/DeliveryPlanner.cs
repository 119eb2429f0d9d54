using System.Buffers;
using System.Text.Json;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Pinpoint;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Delivery;

/// <summary>Decides, without I/O, what each endpoint gets: a personalised request body or a skip with its reason.</summary>
public sealed class DeliveryPlanner(PhoneNumberNormalizer normalizer, LanguageSelector languages)
{
    public DeliveryPlan Plan(CampaignEvent campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var template = campaign.Components is { } components ? ComponentTemplate.Compile(components) : null;
        var order = new List<string>(campaign.Endpoints.Count);
        var sends = new List<PlannedSend>(campaign.Endpoints.Count);
        var skipped = new List<EndpointResult>();
        var addresses = new HashSet<string>(StringComparer.Ordinal);

        // One components buffer for the whole event: each endpoint's components are written, copied into its
        // request body, then overwritten by the next endpoint's.
        var componentsBuffer = new ArrayBufferWriter<byte>(1024);
        using var componentsWriter = new Utf8JsonWriter(componentsBuffer);

        foreach (var endpoint in campaign.Endpoints)
        {
            order.Add(endpoint.Id);
            string? to;
            string? reason;
            try
            {
                to = normalizer.Normalize(endpoint.Address);
                reason = Precheck(endpoint, to);
            }
            catch (InvalidOperationException)
            {
                // A field holds text System.Text.Json cannot transcode (a lone surrogate): this endpoint is unusable.
                skipped.Add(new EndpointResult(endpoint.Id, EndpointStatus.Skipped) { Reason = SkipReasons.InvalidEndpoint });
                continue;
            }

            byte[]? body = null;
            string? language = null;
            if (reason is null)
            {
                componentsBuffer.ResetWrittenCount();
                componentsWriter.Reset();
                reason = template?.RenderTo(componentsWriter, endpoint, static (target, path) => EndpointFields.Resolve(target, path));
                componentsWriter.Flush();
                if (reason is null && !addresses.Add(to!))
                {
                    reason = SkipReasons.DuplicateAddress;
                }

                if (reason is null)
                {
                    language = languages.Select(campaign.Language, endpoint.Locale);
                    body = MessageRequestWriter.Write(to!, campaign.TemplateName, language, componentsBuffer.WrittenSpan);
                }
            }

            if (reason is not null)
            {
                skipped.Add(new EndpointResult(endpoint.Id, EndpointStatus.Skipped)
                {
                    Reason = reason,
                    MaskedAddress = PhoneMask.Mask(to ?? endpoint.Address),
                });
                continue;
            }

            var key = IdempotencyKey.Compute(
                campaign.Source.ApplicationId,
                campaign.CampaignOrJourneyId,
                campaign.Source.TreatmentId,
                campaign.Source.ActivityId,
                campaign.Source.ScheduledTime,
                endpoint.Id,
                campaign.Data);
            sends.Add(new PlannedSend(endpoint, to!, language!, body!, key));
        }

        return new DeliveryPlan(order, sends, skipped);
    }

    private static string? Precheck(PinpointEndpoint endpoint, string? to)
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

        return to is null ? SkipReasons.InvalidAddress : null;
    }
}
