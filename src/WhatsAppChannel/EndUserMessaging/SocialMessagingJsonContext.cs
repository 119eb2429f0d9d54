using System.Text.Json.Serialization;

namespace WhatsAppChannel.EndUserMessaging;

// Case-insensitive so both "message" and "Message" error fields are read.
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SendWhatsAppMessageRequest))]
[JsonSerializable(typeof(SendWhatsAppMessageResponse))]
[JsonSerializable(typeof(SocialMessagingError))]
internal sealed partial class SocialMessagingJsonContext : JsonSerializerContext;
