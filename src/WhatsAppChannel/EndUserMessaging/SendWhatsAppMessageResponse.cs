using System.Text.Json.Serialization;

namespace WhatsAppChannel.EndUserMessaging;

/// <summary>The answer to a send: <c>{"messageId": "..."}</c>.</summary>
internal sealed record SendWhatsAppMessageResponse
{
    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }
}
