using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>The custom-channel event as Pinpoint writes it. Loosely typed parts stay <see cref="JsonElement"/>
/// so a wrong type becomes a precise message (or a per-endpoint skip) rather than a serializer exception.</summary>
internal sealed class PinpointEvent
{
    public string? ApplicationId { get; set; }
    public string? CampaignId { get; set; }
    public string? TreatmentId { get; set; }
    public string? JourneyId { get; set; }
    public string? ActivityId { get; set; }
    public string? ScheduledTime { get; set; }
    public JsonElement Data { get; set; }
    public JsonElement Endpoints { get; set; }
}
