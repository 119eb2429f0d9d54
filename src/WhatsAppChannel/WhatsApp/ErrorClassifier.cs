using System.Collections.Frozen;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Meta's error codes, decided once, in one table.</summary>
internal static class ErrorClassifier
{
    /// <summary>Codes that are not permanent. Everything absent from this table is permanent.</summary>
    public static FrozenDictionary<int, ErrorClass> Codes { get; } = new Dictionary<int, ErrorClass>
    {
        [1] = ErrorClass.Transient,          // API unknown
        [2] = ErrorClass.Transient,          // API service
        [4] = ErrorClass.Transient,          // API too many calls
        [80007] = ErrorClass.Transient,      // WABA rate limit
        [130429] = ErrorClass.Transient,     // throughput (messages per second) reached
        [131000] = ErrorClass.Transient,     // something went wrong
        [131016] = ErrorClass.Transient,     // service unavailable
        [131057] = ErrorClass.Transient,     // account in maintenance mode
        [133004] = ErrorClass.Transient,     // server temporarily unavailable
        [131056] = ErrorClass.PairRateLimit, // too many messages to one recipient
        [190] = ErrorClass.Token,            // access token expired or invalid
    }.ToFrozenDictionary();

    /// <summary>Only an answer that proves the message was not accepted can lead to a resend: a refused connection,
    /// Meta's own error body, or a 429. Anything that may have reached WhatsApp is <see cref="ErrorClass.DeliveryUnknown"/>.</summary>
    public static ErrorClass Classify(SendAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Outcome switch
        {
            SendOutcome.Accepted => ErrorClass.None,
            _ when attempt.MayHaveBeenDelivered => ErrorClass.DeliveryUnknown,
            SendOutcome.NoAnswer => ErrorClass.Transient,
            _ => attempt.RejectionClass ?? Classify(attempt.HttpStatus, attempt.ErrorCode),
        };
    }

    public static ErrorClass Classify(int? httpStatus, string? code)
    {
        if (int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric)
            && Codes.TryGetValue(numeric, out var known))
        {
            return known;
        }

        return httpStatus switch
        {
            401 => ErrorClass.Token,
            429 => ErrorClass.Transient,
            >= 500 => ErrorClass.Transient,
            _ => ErrorClass.Permanent,
        };
    }
}
