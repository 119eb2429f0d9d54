using System.Collections.Concurrent;

namespace WhatsAppChannel.Sandbox;

/// <summary>The latest status of each accepted message as its status webhook went out (for the preview page).</summary>
internal sealed class DeliveryStatuses
{
    private readonly ConcurrentDictionary<string, DeliveryStatus> _latest = new(StringComparer.Ordinal);

    public void Record(string messageId, DeliveryStatus status) => _latest[messageId] = status;

    /// <returns>null while no status went out yet (the message is only accepted).</returns>
    public DeliveryStatus? Find(string messageId) => _latest.GetValueOrDefault(messageId);

    public void Clear() => _latest.Clear();
}

internal sealed record DeliveryStatus(string Status, int? ErrorCode);
