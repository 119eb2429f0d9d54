using System.Text.Json;

namespace WhatsAppChannel.Events;

/// <summary>A campaign's validated <c>Data</c>: the template to send, its language and its components (with placeholders).</summary>
internal sealed record CampaignTemplate(string Data, string Name, string? Language, JsonElement? Components)
{
    /// <summary><c>Data.phoneNumberId</c>: the sender number the campaign asks for, when it names one.</summary>
    public string? PhoneNumberId { get; init; }
}
