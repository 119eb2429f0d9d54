using System.Text.Json.Serialization;

namespace WhatsAppChannel.WhatsApp;

public sealed class GraphMessage
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }
}
