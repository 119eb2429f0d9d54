namespace WhatsAppChannel.Idempotency;

/// <summary>The embedded ledger: one process, thread-safe. It forgets everything when the process ends,
/// so it protects against repeated invocations on the same instance only.</summary>
internal sealed class InMemoryLedger : IIdempotencyLedger
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

    /// <summary>Number of records held (claims and completed sends), for tests and diagnostics.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
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

    private readonly record struct Entry(DateTimeOffset ClaimExpiresAt, DateTimeOffset ExpiresAt, string? MessageId, long Sequence);
}
