using System.Text.Json.Serialization;

namespace WhatsAppChannel.WhatsApp;

/// <summary>The Cloud API's answer to a send: <c>messages</c> on success, <c>error</c> otherwise.</summary>
internal sealed class GraphResponse
{
    [JsonPropertyName("messages")]
    public List<GraphMessage>? Messages { get; set; }

    [JsonPropertyName("error")]
    public GraphError? Error { get; set; }
}
