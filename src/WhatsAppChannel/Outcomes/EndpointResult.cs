namespace WhatsAppChannel.Outcomes;

/// <summary>The outcome of one endpoint of the event; every endpoint gets exactly one.</summary>
internal sealed record EndpointResult(string EndpointId, EndpointStatus Status)
{
    /// <summary>The longest <see cref="Reason"/> kept: Graph's error texts are copied into the response and
    /// the logs, and an answer may carry megabytes of them.</summary>
    public const int MaxReasonLength = 500;

    private readonly string? _reason;

    public string? MaskedAddress { get; init; }
    public string? MessageId { get; init; }

    public string? Reason
    {
        get => _reason;
        init => _reason = Cap(value);
    }

    public string? ErrorCode { get; init; }
    public int Attempts { get; init; }
    public TimeSpan Duration { get; init; }

    private static string? Cap(string? reason)
    {
        if (reason is null || reason.Length <= MaxReasonLength)
        {
            return reason;
        }

        // Never split a surrogate pair: half of one cannot be written as JSON.
        const string Ellipsis = "...";
        var length = MaxReasonLength - Ellipsis.Length;
        if (char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return string.Concat(reason.AsSpan(0, length), Ellipsis);
    }
}
