namespace WhatsAppChannel.Events;

/// <summary>The identifiers of the send an event asks for, in Pinpoint's terms: the other shapes put their campaign id in
/// <see cref="CampaignId"/> and their run id in <see cref="ScheduledTime"/> (a new run is a new send; the same run
/// replayed is not).</summary>
internal sealed record EventScope(
    string? ApplicationId,
    string? CampaignId,
    string? JourneyId,
    string? TreatmentId,
    string? ActivityId,
    string? ScheduledTime)
{
    /// <summary>The campaign or the journey that sent the event.</summary>
    public string? CampaignOrJourneyId => CampaignId ?? JourneyId;
}
