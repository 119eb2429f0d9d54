using System.Text.Json;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>One POST the runtime made to the stand-in.</summary>
/// <param name="ErrorTypeHeader">Lambda-Runtime-Function-Error-Type, when sent.</param>
public sealed record RuntimeApiPost(RuntimeApiPostKind Kind, string? RequestId, string Body, string? ErrorTypeHeader, DateTimeOffset ReceivedAt)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
