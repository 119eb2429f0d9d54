using System.Text.Json.Serialization;

namespace WhatsAppChannel.Webhook;

/// <summary>The answer a Function URL turns into the HTTP response.</summary>
internal sealed record FunctionUrlResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers,
    [property: JsonPropertyName("body")] string Body)
{
    private static readonly Dictionary<string, string> Json = new(StringComparer.Ordinal) { ["content-type"] = "application/json" };
    private static readonly Dictionary<string, string> Text = new(StringComparer.Ordinal) { ["content-type"] = "text/plain" };

    public static FunctionUrlResponse Ok { get; } = new(200, Json, """{"status":"ok"}""");

    public static FunctionUrlResponse Challenge(string challenge) => new(200, Text, challenge);

    public static FunctionUrlResponse Error(int statusCode, string error) =>
        new(statusCode, Json, $$"""{"error":"{{error}}"}""");
}
