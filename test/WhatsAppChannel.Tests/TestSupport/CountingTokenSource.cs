using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.TestSupport;

/// <summary>Hands out the given tokens in order (the last one again once they run out) and counts fetches;
/// a null entry is a fetch that fails with <see cref="TokenUnavailableException"/>.</summary>
internal sealed class CountingTokenSource(params string?[] tokens) : IAccessTokenSource
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public Task<string> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var fetch = Interlocked.Increment(ref _fetches);
        return tokens[Math.Min(fetch, tokens.Length) - 1] is { } token
            ? Task.FromResult(token)
            : Task.FromException<string>(new TokenUnavailableException("the secret could not be read (scripted)"));
    }
}
