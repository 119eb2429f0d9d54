using System.Text.Json.Serialization;

namespace WhatsAppChannel.EndUserMessaging;

/// <summary>An AWS REST-JSON error body: <c>{"message": "..."}</c>, sometimes with the error type as <c>__type</c> or <c>code</c>.</summary>
internal sealed record SocialMessagingError
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
