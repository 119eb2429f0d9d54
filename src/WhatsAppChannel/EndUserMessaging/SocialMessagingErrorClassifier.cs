using System.Collections.Frozen;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.EndUserMessaging;

/// <summary>End User Messaging Social's error types, decided once, in one table. A type absent from it is decided
/// like a Graph answer: by the Meta code in its message, else by HTTP status.</summary>
internal static class SocialMessagingErrorClassifier
{
    public static FrozenDictionary<string, ErrorClass> Types { get; } = new Dictionary<string, ErrorClass>(StringComparer.Ordinal)
    {
        ["ThrottledRequestException"] = ErrorClass.Transient,    // 429: the account's send rate
        ["ThrottlingException"] = ErrorClass.Transient,          // common AWS error: API request rate
        ["InternalServiceException"] = ErrorClass.Transient,     // 500
        ["InternalFailure"] = ErrorClass.Transient,              // common AWS error, 500
        ["ServiceUnavailable"] = ErrorClass.Transient,           // common AWS error, 503
        ["DependencyException"] = ErrorClass.Transient,          // 502: Meta did not answer AWS
        ["InvalidParametersException"] = ErrorClass.Permanent,   // 400: Meta refused the message
        ["ValidationException"] = ErrorClass.Permanent,          // 400: the request is malformed
        ["ResourceNotFoundException"] = ErrorClass.Permanent,    // 404: unknown origination number
        ["AccessDeniedException"] = ErrorClass.Permanent,        // 403: IAM does not allow the send
        ["AccessDeniedByMetaException"] = ErrorClass.Permanent,  // 403: Meta does not allow the account
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>AWS refusing the send for its rate: the account's messages per second (<c>ThrottledRequestException</c>)
    /// or the API's request rate (<c>ThrottlingException</c>). Either way the number sends faster than it may.</summary>
    public static bool IsThrottling(string? errorType) => errorType is "ThrottledRequestException" or "ThrottlingException";

    /// <returns>The class of a known type, else null (the shared Meta/HTTP rules decide).</returns>
    public static ErrorClass? Classify(string? errorType) =>
        errorType is not null && Types.TryGetValue(errorType, out var known) ? known : null;
}
