using System.Text.Json.Serialization;

namespace WhatsAppChannel.WhatsApp;

internal sealed class GraphMessage
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }
}
