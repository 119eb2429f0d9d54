using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>The production token cache over a <see cref="CountingTokenSource"/>, counting invalidations too.</summary>
internal sealed class CountingTokenProvider : IAccessTokenCache
{
    private readonly AccessTokenCache _inner;
    private int _invalidations;

    public CountingTokenProvider(params string?[] tokens)
    {
        Source = new CountingTokenSource(tokens);
        _inner = new AccessTokenCache(Source, TimeSpan.FromMinutes(5), TimeProvider.System);
    }

    public CountingTokenSource Source { get; }

    public int Fetches => Source.Fetches;

    public int Invalidations => Volatile.Read(ref _invalidations);

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _inner.GetTokenAsync(cancellationToken);

    public void Invalidate(string staleToken)
    {
        Interlocked.Increment(ref _invalidations);
        _inner.Invalidate(staleToken);
    }
}
