using System.Text.Json.Serialization;

namespace WhatsAppChannel.Secrets;

/// <summary>Body of Secrets Manager's <c>GetSecretValue</c> (JSON 1.1 protocol).</summary>
internal sealed record GetSecretValueRequest([property: JsonPropertyName("SecretId")] string SecretId);
