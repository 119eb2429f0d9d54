using System.Text.Json.Serialization;

namespace WhatsAppChannel.Secrets;

/// <summary>An AWS JSON-protocol error: <c>{"__type": "...", "message": "..."}</c> (some services write <c>Message</c>).</summary>
internal sealed record AwsErrorResponse
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
