namespace WhatsAppChannel.Sandbox;

/// <summary>An error the sandbox answers <c>/v1/whatsapp/send</c> with, typed as End User Messaging Social types its errors.</summary>
internal sealed record SocialMessagingError(int HttpStatus, string Type, string Message)
{
    public static SocialMessagingError MissingAuthentication() => new(403, "MissingAuthenticationTokenException", "Missing Authentication Token");

    public static SocialMessagingError IncompleteSignature(string detail) => new(403, "IncompleteSignatureException", detail);

    public static SocialMessagingError Validation(string detail) => new(400, "ValidationException", detail);

    public static SocialMessagingError UnknownPhoneNumber(string id) => new(404, "ResourceNotFoundException", $"Phone number {id} was not found.");

    /// <summary>What AWS answers when Meta refuses or fails: Meta's message (with its "(#code)") kept, the type AWS's.</summary>
    public static SocialMessagingError From(GraphError meta)
    {
        var message = meta.Details is null ? meta.Message : $"{meta.Message}: {meta.Details}";
        return meta switch
        {
            { Code: 130429 } => new(429, "ThrottledRequestException", message),
            { HttpStatus: >= 500, Code: 2 } => new(502, "DependencyException", message),
            { HttpStatus: >= 500 } => new(500, "InternalServiceException", message),
            _ => new(400, "InvalidParametersException", message),
        };
    }
}
