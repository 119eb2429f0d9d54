using System.Text.Json.Serialization;

namespace WhatsAppChannel.WhatsApp;

[JsonSerializable(typeof(GraphResponse))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
