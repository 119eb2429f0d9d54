namespace WhatsAppChannel.Secrets;

/// <summary>Supplies the Graph API access token, cached and shared by concurrent sends.</summary>
internal interface IAccessTokenCache
{
    /// <exception cref="TokenUnavailableException">No token can be obtained.</exception>
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Graph rejected <paramref name="staleToken"/> (190/401): drop it so the next call fetches again.
    /// A token other than the cached one is ignored, so many failing sends cause one refetch.</summary>
    void Invalidate(string staleToken);
}
