namespace WhatsAppChannel.Sandbox;

/// <summary>An error the sandbox answers with, in the shape and with the codes the Cloud API uses.</summary>
internal sealed record GraphError(int HttpStatus, int Code, string Message, string? Details, string Type = "OAuthException", int? Subcode = null)
{
    public const string InvalidTokenMessage = "Invalid OAuth access token - Cannot parse access token";

    public static GraphError InvalidToken() => new(401, 190, InvalidTokenMessage, null);

    public static GraphError MissingToken() => new(401, 190, "An access token is required to request this resource.", null);

    public static GraphError UnknownObject(string id) => new(
        400,
        100,
        $"Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        null,
        "GraphMethodException",
        33);

    public static GraphError InvalidParameter(string details) => new(400, 100, "(#100) Invalid parameter", details);

    public static GraphError NotMarketingTemplate(string name) => new(
        400, 100, "(#100) Invalid parameter", $"template {name} is not a MARKETING template: /marketing_messages sends marketing templates only");

    public static GraphError ParameterMissing(string details) => new(400, 131008, "(#131008) Required parameter is missing", details);

    public static GraphError ParameterValueInvalid(string details) => new(400, 131009, "(#131009) Parameter value is not valid", details);

    public static GraphError ParameterCountMismatch(string component, int given, int expected) => new(
        400,
        132000,
        "(#132000) Number of parameters does not match the expected number of params",
        $"{component}: number of localizable_params ({given}) does not match the expected number of params ({expected})");

    public static GraphError TemplateNotFound(string name, string language) => new(
        400,
        132001,
        "(#132001) Template name does not exist in the translation",
        $"template name ({name}) does not exist in {language}");

    public static GraphError ParameterFormatMismatch(string details) => new(
        400, 132012, "(#132012) Parameter format does not match format in the created template", details);

    public static GraphError ParameterTextInvalid() => new(
        400,
        132018,
        "(#132018) There was an issue with the parameters in your template.",
        "Param text cannot have new-line/tab characters or more than 4 consecutive spaces");

    public static GraphError RateLimitHit() => new(
        400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");

    public static GraphError PairRateLimitHit() => new(
        400,
        131056,
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.");

    public static GraphError Undeliverable() => new(
        400, 131026, "(#131026) Message Undeliverable", "Message could not be delivered to the recipient.");

    public static GraphError UnknownServerError() => new(500, 1, "An unknown error occurred", null);

    public static GraphError ServiceUnavailable() => new(503, 2, "An unexpected error has occurred. Please retry your request later.", null);

    /// <summary>Graph-level errors (token, object, server) carry no WhatsApp error_data; messaging errors do.</summary>
    public GraphErrorEnvelope ToEnvelope(string fbTraceId) => new(new GraphErrorBody(
        Message,
        Type,
        Code,
        Details is null ? null : new GraphErrorData("whatsapp", Details),
        Subcode,
        fbTraceId));
}
