using System.Collections.Concurrent;

namespace WhatsAppChannel.Sandbox;

/// <summary>The latest status of each accepted message, as its status webhooks report it (for the preview page).</summary>
internal sealed class DeliveryStatuses
{
    private readonly ConcurrentDictionary<string, DeliveryStatus> _latest = new(StringComparer.Ordinal);

    public void Record(string messageId, string status, int? errorCode, DateTimeOffset at) =>
        _latest[messageId] = new DeliveryStatus(status, errorCode, at);

    /// <returns>null while no status went out yet (the message is only accepted).</returns>
    public DeliveryStatus? Find(string messageId) => _latest.GetValueOrDefault(messageId);

    public void Clear() => _latest.Clear();
}

internal sealed record DeliveryStatus(string Status, int? ErrorCode, DateTimeOffset At);
