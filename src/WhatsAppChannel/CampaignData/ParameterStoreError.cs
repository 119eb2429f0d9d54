using System.Text.Json.Serialization;

namespace WhatsAppChannel.CampaignData;

/// <summary>An AWS JSON-protocol error: <c>{"__type": "...", "message": "..."}</c>.</summary>
internal sealed record ParameterStoreError
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
