using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Meta's error object: <c>{"message","type","code","error_data":{"details"},"fbtrace_id"}</c>.</summary>
internal sealed class GraphError
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("code")]
    public JsonElement Code { get; set; }

    [JsonPropertyName("error_data")]
    public JsonElement ErrorData { get; set; }

    [JsonPropertyName("fbtrace_id")]
    public string? FbTraceId { get; set; }
}
