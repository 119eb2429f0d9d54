using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>The production token cache over a <see cref="ScriptedTokenSource"/>, counting invalidations too.</summary>
internal sealed class CountingTokenProvider : IAccessTokenCache
{
    private readonly AccessTokenCache _inner;
    private int _invalidations;

    /// <param name="tokens">The tokens fetches return in order (the last again once they run out); null is a failed fetch.</param>
    public CountingTokenProvider(params string?[] tokens)
    {
        Source = new ScriptedTokenSource();
        foreach (var token in tokens)
        {
            _ = token is null ? Source.ThenFail("the secret could not be read (scripted)") : Source.Then(token);
        }

        _inner = new AccessTokenCache(Source, TimeSpan.FromMinutes(5), TimeProvider.System);
    }

    public ScriptedTokenSource Source { get; }

    public int Fetches => Source.Fetches;

    public int Invalidations => Volatile.Read(ref _invalidations);

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _inner.GetTokenAsync(cancellationToken);

    public void Invalidate(string staleToken)
    {
        Interlocked.Increment(ref _invalidations);
        _inner.Invalidate(staleToken);
    }
}
