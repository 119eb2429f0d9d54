using System.Text.Json.Serialization;

namespace WhatsAppChannel.CampaignData;

/// <summary>Body of Systems Manager's <c>GetParameter</c> (JSON 1.1 protocol).</summary>
internal sealed record GetParameterRequest(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("WithDecryption")] bool WithDecryption);
