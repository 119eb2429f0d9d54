using System.Runtime.InteropServices;

namespace WhatsAppChannel.Bootstrap;

/// <summary>One event handed out by the Runtime API's next call.</summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms; null when the header is absent or malformed.</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id; null when absent.</param>
/// <param name="Payload">The event body.</param>
internal sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? TraceId, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A read-only stream over the payload, without copying it.</summary>
    public Stream OpenPayload() => MemoryMarshal.TryGetArray(Payload, out var segment)
        ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true)
        : new MemoryStream(Payload.ToArray(), 0, Payload.Length, writable: false, publiclyVisible: true);
}
