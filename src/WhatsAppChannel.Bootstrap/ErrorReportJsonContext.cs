using System.Text.Json.Serialization;

namespace WhatsAppChannel.Bootstrap;

[JsonSerializable(typeof(ErrorReport))]
internal sealed partial class ErrorReportJsonContext : JsonSerializerContext;
