using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Sends straight to the Cloud API with the cached access token; when Graph rejects the token (190/401) it
/// fetches the token again once and resends, as a rejected token means Meta sent nothing.</summary>
internal sealed class GraphTransport(WhatsAppClient client, IAccessTokenCache tokens) : IMessageTransport, IDisposable
{
    /// <exception cref="TokenUnavailableException">No token can be obtained.</exception>
    public Task<SendAttempt> SendAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken) =>
        WithTokenAsync(token => client.SendAsync(phoneNumberId, body, token, attemptToken), attemptToken);

    /// <exception cref="TokenUnavailableException">No token can be obtained.</exception>
    public Task<SendAttempt> SendMarketingAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken) =>
        WithTokenAsync(token => client.SendMarketingAsync(phoneNumberId, body, token, attemptToken), attemptToken);

    private async Task<SendAttempt> WithTokenAsync(Func<string, Task<SendAttempt>> send, CancellationToken attemptToken)
    {
        var token = await tokens.GetTokenAsync(attemptToken).ConfigureAwait(false);
        var attempt = await send(token).ConfigureAwait(false);
        if (attempt.ErrorClass != ErrorClass.Token)
        {
            return attempt;
        }

        tokens.Invalidate(token);
        var fresh = await tokens.GetTokenAsync(attemptToken).ConfigureAwait(false);
        return await send(fresh).ConfigureAwait(false);
    }

    public void Dispose() => client.Dispose();
}
