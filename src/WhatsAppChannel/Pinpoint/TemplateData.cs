using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppChannel.Pinpoint;

/// <summary>The campaign author's <c>Data</c> string, as the first Node.js version read it.</summary>
internal sealed class TemplateData
{
    [JsonPropertyName("templateName")]
    public JsonElement TemplateName { get; set; }

    [JsonPropertyName("language")]
    public JsonElement Language { get; set; }

    [JsonPropertyName("params")]
    public JsonElement Params { get; set; }

    [JsonPropertyName("phoneNumberId")]
    public JsonElement PhoneNumberId { get; set; }
}
