namespace WhatsAppChannel.Outcomes;

/// <summary>The outcome of one endpoint of the event; every endpoint gets exactly one.</summary>
public sealed record EndpointResult(string EndpointId, EndpointStatus Status)
{
    public string? MaskedAddress { get; init; }
    public string? MessageId { get; init; }
    public string? Reason { get; init; }
    public string? ErrorCode { get; init; }
    public int Attempts { get; init; }
    public TimeSpan Duration { get; init; }
}
