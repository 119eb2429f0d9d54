namespace WhatsAppChannel.CampaignData;

/// <summary>
/// Keeps each campaign's Data for a fixed lifetime, like the access token: a campaign's batches arrive together, and an
/// edited parameter is picked up once the lifetime has passed, without a redeploy. Concurrent callers share one read;
/// a failed read is not kept, so the next caller tries again.
/// </summary>
internal sealed class CampaignDataCache : ICampaignDataSource
{
    private readonly ICampaignDataSource _source;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public CampaignDataCache(ICampaignDataSource source, TimeSpan lifetime, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero);
        _source = source;
        _lifetime = lifetime;
        _time = timeProvider;
    }

    public Task<StoredCampaignData> GetAsync(string? campaignName, CancellationToken cancellationToken)
    {
        var key = campaignName ?? string.Empty;
        Task<StoredCampaignData> read;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && (!entry.Read.IsCompleted || _time.GetUtcNow() < entry.ExpiresAt))
            {
                read = entry.Read;
            }
            else
            {
                // Not tied to this caller's cancellation: one caller giving up must not fail the others sharing the read.
                read = Task.Run(() => _source.GetAsync(campaignName, CancellationToken.None), CancellationToken.None);
                _entries[key] = new Entry(read, DateTimeOffset.MaxValue);
                _ = read.ContinueWith(done => Settle(key, done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        return read.WaitAsync(cancellationToken);
    }

    private void Settle(string key, Task<StoredCampaignData> done)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Read != done)
            {
                return;
            }

            if (done.IsCompletedSuccessfully)
            {
                _entries[key] = entry with { ExpiresAt = _time.GetUtcNow() + _lifetime };
            }
            else
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed record Entry(Task<StoredCampaignData> Read, DateTimeOffset ExpiresAt);
}
