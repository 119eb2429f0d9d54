namespace WhatsAppChannel.WhatsApp;

/// <summary>What one HTTP send produced. Never carries the token.</summary>
internal sealed record SendAttempt(SendOutcome Outcome)
{
    public string? MessageId { get; init; }
    public int? HttpStatus { get; init; }

    /// <summary>Meta's <c>error.code</c>, or a word for transport failures (<c>timeout</c>, <c>connection-failed</c>).</summary>
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }

    /// <summary>False when the request certainly never reached WhatsApp (so resending cannot duplicate).</summary>
    public bool MayHaveBeenDelivered { get; init; }

    /// <summary>The transport's own verdict on a rejection (an AWS error type); null = Meta's code and the HTTP status decide.</summary>
    public ErrorClass? RejectionClass { get; init; }

    /// <summary>The answer's Retry-After, as a wait from when it arrived.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public ErrorClass ErrorClass => ErrorClassifier.Classify(this);
}
