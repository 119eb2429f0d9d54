using System.Diagnostics.CodeAnalysis;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// Accepted messages plus the per-second and per-recipient history the throughput cap and the pair rate
/// limit decide on; one lock so a decision and the acceptance it allows are atomic.
/// </summary>
internal sealed class AcceptedMessageLog(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly List<SandboxMessage> _messages = [];
    private readonly Dictionary<string, SandboxMessage> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastAcceptedByRecipient = new(StringComparer.Ordinal);
    private readonly Queue<long> _acceptedInLastSecond = new();

    public IReadOnlyList<SandboxMessage> Snapshot()
    {
        lock (_lock)
        {
            return [.. _messages];
        }
    }

    public SandboxMessage? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _messages.Clear();
            _byId.Clear();
            _lastAcceptedByRecipient.Clear();
            _acceptedInLastSecond.Clear();
        }
    }

    /// <summary>Accepts the message unless a throughput, deliverability or pair-rate fault applies to it.</summary>
    public bool TryAccept(
        ValidatedMessage message,
        FaultSettings faults,
        string id,
        [NotNullWhen(true)] out SandboxMessage? accepted,
        [NotNullWhen(false)] out GraphError? refused)
    {
        accepted = null;
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            refused = Refusal(message.To, faults, now);
            if (refused is not null)
            {
                return false;
            }

            accepted = new SandboxMessage(id, message.To, message.TemplateName, message.Language, message.RenderedText, clock.GetUtcNow())
            {
                Buttons = message.Buttons,
                CallbackData = message.CallbackData,
                ViaMarketingMessages = message.ViaMarketingMessages,
                Parts = message.Parts,
            };
            _messages.Add(accepted);
            _byId[id] = accepted;
            _lastAcceptedByRecipient[message.To] = now;
            _acceptedInLastSecond.Enqueue(now);
            return true;
        }
    }

    // Called under the lock.
    private GraphError? Refusal(string to, FaultSettings faults, long now)
    {
        while (_acceptedInLastSecond.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) >= TimeSpan.FromSeconds(1))
        {
            _acceptedInLastSecond.Dequeue();
        }

        if (faults.MessagesPerSecondCap is { } cap && _acceptedInLastSecond.Count >= cap)
        {
            return GraphError.RateLimitHit();
        }

        if (faults.IsUndeliverable(to))
        {
            return GraphError.Undeliverable();
        }

        return faults.PairRateWindow is { } window
            && _lastAcceptedByRecipient.TryGetValue(to, out var last)
            && clock.GetElapsedTime(last, now) < window
                ? GraphError.PairRateLimitHit()
                : null;
    }
}
