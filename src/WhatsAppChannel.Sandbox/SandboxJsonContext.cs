using System.Text.Json.Serialization;

namespace WhatsAppChannel.Sandbox;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TemplatesDocument))]
[JsonSerializable(typeof(SendMessageResponse))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
[JsonSerializable(typeof(IReadOnlyList<SandboxMessageView>))]
[JsonSerializable(typeof(FaultSettingsView))]
[JsonSerializable(typeof(SandboxProblem))]
[JsonSerializable(typeof(ChatsView))]
[JsonSerializable(typeof(SocialMessagingSendRequest))]
[JsonSerializable(typeof(SocialMessagingSendResponse))]
[JsonSerializable(typeof(SocialMessagingErrorBody))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
