using System.Text.Json.Serialization;

namespace WhatsAppChannel.Webhook;

/// <summary>A Lambda Function URL request (payload format 2.0); only the fields the webhook reads.
/// Lambda lower-cases header names and joins repeated headers with commas.</summary>
internal sealed record FunctionUrlRequest
{
    [JsonPropertyName("requestContext")]
    public FunctionUrlRequestContext? RequestContext { get; init; }

    [JsonPropertyName("rawQueryString")]
    public string? RawQueryString { get; init; }

    [JsonPropertyName("queryStringParameters")]
    public Dictionary<string, string>? QueryStringParameters { get; init; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; init; }

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; init; }
}

internal sealed record FunctionUrlRequestContext([property: JsonPropertyName("http")] FunctionUrlHttp? Http);

internal sealed record FunctionUrlHttp([property: JsonPropertyName("method")] string? Method);
