namespace WhatsAppChannel.WhatsApp;

/// <summary>Carries one Cloud API message body to WhatsApp: directly to Graph, or through AWS End User Messaging Social.
/// The delivery engine sees only this, so it never knows which transport sends.</summary>
internal interface IMessageTransport
{
    /// <summary>Sends one message and says what came of it. Throws only before anything is sent: when credentials cannot
    /// be had (<see cref="Secrets.TokenUnavailableException"/>), or when <paramref name="attemptToken"/> ends the wait for them.</summary>
    /// <param name="phoneNumberId">The sending number (Meta's phone number id, or the origination id for AWS).</param>
    /// <param name="body">The Cloud API message JSON (<see cref="Planning.MessageRequestWriter"/>).</param>
    /// <param name="attemptToken">Canceled when this attempt must be given up: what was sent may then have arrived.</param>
    Task<SendAttempt> SendAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken);

    /// <summary>As <see cref="SendAsync"/>, for a MARKETING template through Meta's Marketing Messages API where the
    /// transport has it.</summary>
    Task<SendAttempt> SendMarketingAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken);
}
