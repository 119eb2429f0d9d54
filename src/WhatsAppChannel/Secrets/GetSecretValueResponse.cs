using System.Text.Json.Serialization;

namespace WhatsAppChannel.Secrets;

/// <summary>The fields we read from <c>GetSecretValue</c>'s answer (the secrets extension answers the same shape).</summary>
internal sealed record GetSecretValueResponse
{
    [JsonPropertyName("SecretString")]
    public string? SecretString { get; init; }

    [JsonPropertyName("SecretBinary")]
    public string? SecretBinary { get; init; }
}
