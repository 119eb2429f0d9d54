using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>The top level of every event shape the function accepts: Pinpoint's custom-channel fields, a Step Functions
/// Distributed Map batch (<c>BatchInput</c>, <c>Items</c>) and an Amazon Connect campaign action (<c>InvocationMetadata</c>,
/// <c>Items</c>). Loosely typed parts stay <see cref="JsonElement"/> so a wrong type becomes a precise message (or a
/// per-endpoint outcome) rather than a serializer exception.</summary>
internal sealed class InboundEvent
{
    public string? ApplicationId { get; set; }
    public string? CampaignId { get; set; }
    public string? TreatmentId { get; set; }
    public string? JourneyId { get; set; }
    public string? ActivityId { get; set; }
    public string? ScheduledTime { get; set; }
    public JsonElement Data { get; set; }
    public JsonElement Endpoints { get; set; }
    public JsonElement BatchInput { get; set; }
    public JsonElement Items { get; set; }
    public JsonElement InvocationMetadata { get; set; }
}
