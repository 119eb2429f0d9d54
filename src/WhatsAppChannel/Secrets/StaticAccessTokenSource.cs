namespace WhatsAppChannel.Secrets;

/// <summary>The token given directly in <c>FB_APP_TOKEN</c> (local runs and the sandbox).</summary>
internal sealed class StaticAccessTokenSource : IAccessTokenSource
{
    private readonly Task<string> _token;

    public StaticAccessTokenSource(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = Task.FromResult(token);
    }

    public Task<string> FetchTokenAsync(CancellationToken cancellationToken) => _token;
}
