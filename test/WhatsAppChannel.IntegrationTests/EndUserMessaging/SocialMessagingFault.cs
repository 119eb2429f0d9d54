using System.Text.Json.Serialization;

namespace WhatsAppChannel.IntegrationTests.EndUserMessaging;

/// <summary>A stand-in rule: the first <see cref="Times"/> sends to <see cref="To"/> ("*" = anyone) get this error, or no
/// answer for <see cref="HangMs"/>. <see cref="Where"/>: "header" (x-amzn-ErrorType), "__type", "code" or "none".</summary>
public sealed record SocialMessagingFault(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("where")] string Where = "header",
    [property: JsonPropertyName("times")] int Times = int.MaxValue,
    [property: JsonPropertyName("hangMs")] int HangMs = 0)
{
    public static SocialMessagingFault Hang(string to, TimeSpan duration) => new(to, 0, "", "", HangMs: (int)duration.TotalMilliseconds, Times: 1);
}
