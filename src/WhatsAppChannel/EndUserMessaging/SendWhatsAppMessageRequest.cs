using System.Text.Json.Serialization;

namespace WhatsAppChannel.EndUserMessaging;

/// <summary>The body of <c>POST /v1/whatsapp/send</c>; <see cref="Message"/> is serialized as base64, as the API's blob type wants.</summary>
internal sealed record SendWhatsAppMessageRequest(
    [property: JsonPropertyName("originationPhoneNumberId")] string OriginationPhoneNumberId,
    [property: JsonPropertyName("metaApiVersion")] string MetaApiVersion,
    [property: JsonPropertyName("message")] byte[] Message);
