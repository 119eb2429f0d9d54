namespace WhatsAppChannel.Secrets;

/// <summary>Where the access token comes from; asked again whenever the cache needs a fresh token.</summary>
internal interface IAccessTokenSource
{
    /// <exception cref="TokenUnavailableException">No token can be obtained; the message says why, never the token.</exception>
    Task<string> FetchTokenAsync(CancellationToken cancellationToken);
}
