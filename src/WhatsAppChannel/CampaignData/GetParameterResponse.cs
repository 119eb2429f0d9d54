using System.Text.Json.Serialization;

namespace WhatsAppChannel.CampaignData;

/// <summary>The fields we read from <c>GetParameter</c>'s answer: <c>{"Parameter": {"Name", "Type", "Value", ...}}</c>.</summary>
internal sealed record GetParameterResponse
{
    [JsonPropertyName("Parameter")]
    public StoredParameter? Parameter { get; init; }
}

internal sealed record StoredParameter
{
    [JsonPropertyName("Name")]
    public string? Name { get; init; }

    [JsonPropertyName("Value")]
    public string? Value { get; init; }
}
