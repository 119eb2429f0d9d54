namespace WhatsAppChannel.Secrets;

/// <summary>
/// Caches the token from an <see cref="IAccessTokenSource"/> for a fixed lifetime. Concurrent callers share one fetch
/// (no stampede when many sends start together); a failed fetch is not cached, so the next caller tries again.
/// </summary>
internal sealed class AccessTokenCache : IAccessTokenCache
{
    private readonly IAccessTokenSource _source;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly object _gate = new();
    private CachedToken? _cached;
    private Task<string>? _fetch;

    public AccessTokenCache(IAccessTokenSource source, TimeSpan lifetime, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero);
        _source = source;
        _lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && _timeProvider.GetUtcNow() < cached.ExpiresAt)
        {
            return ValueTask.FromResult(cached.Token);
        }

        Task<string> fetch;
        lock (_gate)
        {
            cached = _cached;
            if (cached is not null && _timeProvider.GetUtcNow() < cached.ExpiresAt)
            {
                return ValueTask.FromResult(cached.Token);
            }

            // A completed fetch is either cached above (and now expired or invalidated) or failed: start another.
            if (_fetch is null || _fetch.IsCompleted)
            {
                _fetch = Task.Run(FetchAndCacheAsync);
            }

            fetch = _fetch;
        }

        return new ValueTask<string>(fetch.WaitAsync(cancellationToken));
    }

    public void Invalidate(string staleToken)
    {
        lock (_gate)
        {
            if (_cached is not null && string.Equals(_cached.Token, staleToken, StringComparison.Ordinal))
            {
                _cached = null;
            }
        }
    }

    // Not tied to any caller's cancellation: one caller giving up must not fail the others sharing this fetch.
    private async Task<string> FetchAndCacheAsync()
    {
        var token = await _source.FetchTokenAsync(CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _cached = new CachedToken(token, _timeProvider.GetUtcNow() + _lifetime);
        }

        return token;
    }

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);
}
