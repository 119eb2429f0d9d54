namespace WhatsAppChannel.Benchmarks;

/// <summary>What the runtime posted for one invocation.</summary>
/// <param name="ReceivedAt">Stopwatch timestamp of the post's arrival.</param>
internal sealed record RuntimePost(long ReceivedAt, bool IsError, byte[] Body);
