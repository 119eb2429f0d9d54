using System.Text.Json.Serialization;

namespace WhatsAppChannel.Webhook;

[JsonSerializable(typeof(FunctionUrlRequest))]
[JsonSerializable(typeof(FunctionUrlResponse))]
[JsonSerializable(typeof(MetaNotification))]
[JsonSerializable(typeof(MetaEntry))]
[JsonSerializable(typeof(SnsEvent))]
[JsonSerializable(typeof(SocialMessagingEvent))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
