using System.Text.Json.Serialization;

namespace WhatsAppChannel.Events;

[JsonSourceGenerationOptions(MaxDepth = 64)]
[JsonSerializable(typeof(InboundEvent))]
[JsonSerializable(typeof(TemplateData))]
internal sealed partial class PinpointJsonContext : JsonSerializerContext;
