using System.Text.Json;

namespace WhatsAppChannel.TestSupport;

/// <summary>One POST the runtime made to the stand-in.</summary>
/// <param name="ErrorTypeHeader">Lambda-Runtime-Function-Error-Type, when sent.</param>
/// <param name="ReceivedTimestamp">Stopwatch timestamp of the arrival, for elapsed-time measurements.</param>
internal sealed record RuntimeApiPost(RuntimeApiPostKind Kind, string? RequestId, string Body, string? ErrorTypeHeader, DateTimeOffset ReceivedAt, long ReceivedTimestamp)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
