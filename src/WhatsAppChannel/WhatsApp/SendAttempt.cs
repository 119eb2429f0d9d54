using System.Net.Sockets;

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

    /// <summary>The sending number is over its messages per second (Meta's 130429, or the AWS service throttling the
    /// send): each transport says so in its own words, and the number's budget shrinks alike.</summary>
    public bool ThroughputExceeded { get; init; }

    /// <summary>The answer's Retry-After, as a wait from when it arrived.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public ErrorClass ErrorClass => ErrorClassifier.Classify(this);

    /// <summary>No answer before the attempt was given up: the request may have arrived.</summary>
    public static SendAttempt TimedOut(string service) =>
        new(SendOutcome.NoAnswer) { ErrorCode = "timeout", ErrorMessage = $"no answer from {service} in time", MayHaveBeenDelivered = true };

    /// <summary>A connection failure, told apart by whether anything can have been sent.</summary>
    public static SendAttempt TransportFailed(HttpRequestException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);

        // Refused before anything was sent (a proxy refusing the tunnel included): resending cannot duplicate.
        var refused = failure.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable }
            || failure.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;
        return new SendAttempt(SendOutcome.NoAnswer)
        {
            ErrorCode = refused ? "connection-failed" : "connection-lost",
            ErrorMessage = failure.HttpRequestError.ToString(),
            MayHaveBeenDelivered = !refused,
        };
    }

    /// <summary>The answer as read; when its body was cut off and it does not prove acceptance, the outcome is unknown.</summary>
    public static SendAttempt UnlessCutOff(SendAttempt attempt, int httpStatus, bool cutOff)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return cutOff && attempt.Outcome != SendOutcome.Accepted
            ? new SendAttempt(SendOutcome.NoAnswer) { HttpStatus = httpStatus, ErrorCode = "connection-lost", ErrorMessage = "the answer was cut off", MayHaveBeenDelivered = true }
            : attempt;
    }
}
