namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>One endpoint's <c>EventAttributes</c> in a response.</summary>
internal sealed record EndpointOutcome(string Status, string? Reason, string? MessageId)
{
    public bool IsSent => Status == "sent";

    public bool IsAlreadySent => Status == "skipped" && Reason == "already-sent";

    public bool IsInProgress => Status == "skipped" && Reason == "in-progress";

    public override string ToString() => $"{Status} {Reason} {MessageId}".TrimEnd();
}
