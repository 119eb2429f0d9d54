namespace WhatsAppChannel.Idempotency;

/// <summary>The embedded ledger: one process, thread-safe. It forgets everything when the process ends,
/// so it protects against repeated invocations on the same instance only.</summary>
internal sealed class InMemoryLedger : IIdempotencyLedger, IDeliveryStatusLedger
{
    /// <summary>Records kept at most, oldest dropped first. A warm instance sends without end and each record costs
    /// about 400 bytes; 2,000 hold the last 40 full batches, and a replay older than that is what IDEMPOTENCY_TABLE is for.</summary>
    public const int MaxRecords = 2_000;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long Sequence)> _age = new();
    private long _sequence;
    private readonly object _gate = new();
    private readonly TimeSpan _claimLifetime;
    private readonly TimeSpan _recordLifetime;
    private readonly TimeProvider _timeProvider;
    private DateTimeOffset _nextSweep;

    // Messages by id, bounded like the send records; opt-outs are never dropped, as forgetting one would message
    // someone who said STOP (each is one 64-character hash).
    private readonly Dictionary<string, MessageRecord> _messages = new(StringComparer.Ordinal);
    private readonly Queue<string> _messageAge = new();
    private readonly HashSet<string> _optedOut = new(StringComparer.Ordinal);

    public InMemoryLedger(TimeSpan claimLifetime, TimeSpan recordLifetime, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(recordLifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _claimLifetime = claimLifetime;
        _recordLifetime = recordLifetime;
        _timeProvider = timeProvider;
        _nextSweep = timeProvider.GetUtcNow() + recordLifetime;
    }

    public Task<LedgerClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();

        lock (_gate)
        {
            SweepIfDue(now);
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                if (entry.MessageId is not null)
                {
                    return Task.FromResult(new LedgerClaim(LedgerClaimStatus.AlreadySent, entry.MessageId));
                }

                if (entry.ClaimExpiresAt > now)
                {
                    return Task.FromResult(new LedgerClaim(LedgerClaimStatus.InProgress));
                }
            }

            // No record, an expired record, or an abandoned claim: this run takes the key.
            var sequence = ++_sequence;
            _entries[key] = new Entry(now + _claimLifetime, now + _recordLifetime, MessageId: null, sequence);
            _age.Enqueue((key, sequence));
            DropOldest();
            return Task.FromResult(LedgerClaim.Claimed);
        }
    }

    public Task CompleteAsync(string key, LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(outcome);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var claimed))
            {
                _entries[key] = claimed with { ClaimExpiresAt = now, ExpiresAt = now + _recordLifetime, MessageId = outcome.MessageId };
            }
            else
            {
                var sequence = ++_sequence;
                _entries[key] = new Entry(now, now + _recordLifetime, outcome.MessageId, sequence);
                _age.Enqueue((key, sequence));
                DropOldest();
            }

            // A status may have arrived first: keep its state, add what only the send knows.
            var message = _messages.TryGetValue(outcome.MessageId, out var known) ? known : AddMessage(outcome.MessageId, DeliveryState.Sent);
            _messages[outcome.MessageId] = message with
            {
                Key = key,
                CampaignId = outcome.CampaignId ?? message.CampaignId,
                RecipientHash = outcome.RecipientHash ?? message.RecipientHash,
            };
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_gate)
        {
            // A completed record is never given back: that would allow a second send.
            if (_entries.TryGetValue(key, out var entry) && entry.MessageId is null)
            {
                _entries.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> RecordStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();

        lock (_gate)
        {
            if (!_messages.TryGetValue(update.MessageId, out var message))
            {
                _messages[update.MessageId] = AddMessage(update.MessageId, update.State) with
                {
                    Key = update.IdempotencyKey,
                    ErrorCode = update.ErrorCode,
                    RecipientHash = update.RecipientHash,
                    CampaignId = update.CampaignId,
                };
                ResolveUnknownSend(update, now);
                return Task.FromResult(true);
            }

            if (message.State == DeliveryState.Failed || update.State <= message.State)
            {
                return Task.FromResult(false);
            }

            _messages[update.MessageId] = message with
            {
                State = update.State,
                ErrorCode = update.ErrorCode,
                RecipientHash = message.RecipientHash ?? update.RecipientHash,
                CampaignId = message.CampaignId ?? update.CampaignId,
            };
            return Task.FromResult(true);
        }
    }

    public Task SetOptOutAsync(string numberHash, bool optedOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _ = optedOut ? _optedOut.Add(numberHash) : _optedOut.Remove(numberHash);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> FindOptedOutAsync(IReadOnlyCollection<string> numberHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHashes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlySet<string> found = numberHashes.Where(_optedOut.Contains).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<CampaignFunnel>> ReadFunnelsAsync(string? campaignId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var messages = _messages.Values
                .Where(m => m.CampaignId is not null && (campaignId is null || m.CampaignId == campaignId))
                .Select(m => new FunnelMessage(m.CampaignId!, m.State, m.ErrorCode, m.RecipientHash));
            return Task.FromResult(FunnelMessage.Count(messages, _optedOut.Contains));
        }
    }

    // Called under the lock. A send whose answer was lost kept its claim: the status proves it went out.
    private void ResolveUnknownSend(DeliveryStatusUpdate update, DateTimeOffset now)
    {
        if (update.IdempotencyKey is { } key && _entries.TryGetValue(key, out var entry) && entry.MessageId is null)
        {
            _entries[key] = entry with { ClaimExpiresAt = now, ExpiresAt = now + _recordLifetime, MessageId = update.MessageId };
        }
    }

    // Called under the lock: a new message record, the oldest dropped beyond MaxRecords.
    private MessageRecord AddMessage(string messageId, DeliveryState state)
    {
        _messageAge.Enqueue(messageId);
        while (_messageAge.Count > MaxRecords && _messageAge.TryDequeue(out var oldest))
        {
            _messages.Remove(oldest);
        }

        return new MessageRecord(state, ErrorCode: null, Key: null, CampaignId: null, RecipientHash: null);
    }

    /// <summary>Drops the oldest records beyond <see cref="MaxRecords"/>; queue items of keys released or claimed again
    /// since are stale and skipped (and trimmed, so the queue stays bounded too).</summary>
    private void DropOldest()
    {
        while ((_entries.Count > MaxRecords || _age.Count > 2 * MaxRecords) && _age.TryDequeue(out var oldest))
        {
            if (_entries.TryGetValue(oldest.Key, out var entry) && entry.Sequence == oldest.Sequence)
            {
                _entries.Remove(oldest.Key);
            }
        }
    }

    // Drops expired records; runs at most once per record lifetime.
    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.Remove(key);
            }
        }

        _nextSweep = now + _recordLifetime;
    }

    private sealed record MessageRecord(DeliveryState State, string? ErrorCode, string? Key, string? CampaignId, string? RecipientHash);

    private readonly record struct Entry(DateTimeOffset ClaimExpiresAt, DateTimeOffset ExpiresAt, string? MessageId, long Sequence);
}
