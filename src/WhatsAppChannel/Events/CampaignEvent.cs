namespace WhatsAppChannel.Events;

/// <summary>A validated event of any shape: to whom (endpoints in event order, ids unique) and, once known, what to send.</summary>
internal sealed record CampaignEvent(EventShape Shape, EventScope Scope, IReadOnlyList<PinpointEndpoint> Endpoints)
{
    /// <summary>Null when the event does not carry its <c>Data</c> (see <see cref="DataName"/>) and it has not been read yet.</summary>
    public CampaignTemplate? Template { get; init; }

    /// <summary>The name the campaign's <c>Data</c> is stored under outside the event (Amazon Connect's campaign name).</summary>
    public string? DataName { get; init; }

    /// <summary>Why <see cref="Template"/> could not be obtained from outside the event: every endpoint fails with it.</summary>
    public string? DataProblem { get; init; }

    /// <summary>How long the sender waits for the answer, when it waits less than the function's own timeout.</summary>
    public TimeSpan? AnswerWithin { get; init; }

    /// <summary>The WhatsApp phone number id the event asks to send from, when it names one.</summary>
    public string? PhoneNumberId { get; init; }
}
