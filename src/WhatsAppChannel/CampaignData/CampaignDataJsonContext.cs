using System.Text.Json.Serialization;

namespace WhatsAppChannel.CampaignData;

// Case-insensitive so both "message" and "Message" error fields are read.
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(GetParameterRequest))]
[JsonSerializable(typeof(GetParameterResponse))]
[JsonSerializable(typeof(ParameterStoreError))]
internal sealed partial class CampaignDataJsonContext : JsonSerializerContext;
