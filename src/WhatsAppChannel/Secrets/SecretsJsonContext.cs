using System.Text.Json.Serialization;

namespace WhatsAppChannel.Secrets;

// Case-insensitive so both "message" and "Message" error fields are read.
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(AwsErrorResponse))]
internal sealed partial class SecretsJsonContext : JsonSerializerContext;
