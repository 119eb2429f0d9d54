using System.Text.Json;

namespace WhatsAppChannel.Pinpoint;

/// <summary>A validated event: what to send (template) and to whom (endpoints, in event order, ids unique).</summary>
internal sealed record CampaignEvent(
    PinpointEvent Source,
    string Data,
    string TemplateName,
    string? Language,
    JsonElement? Components,
    IReadOnlyList<PinpointEndpoint> Endpoints)
{
    /// <summary>The campaign or the journey that sent the event.</summary>
    public string? CampaignOrJourneyId => Source.CampaignId ?? Source.JourneyId;

    /// <summary>The sender number the campaign picked (<c>Data.phoneNumberId</c>); null = the function's default.</summary>
    public string? PhoneNumberId { get; init; }
}
