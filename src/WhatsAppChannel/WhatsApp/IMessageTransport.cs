namespace WhatsAppChannel.WhatsApp;

/// <summary>Carries one Cloud API message body to WhatsApp: directly to Graph, or through AWS End User Messaging Social.
/// The delivery engine sees only this, so it never knows which transport sends.</summary>
internal interface IMessageTransport
{
    /// <summary>Sends one message. Returns the outcome; throws only when <paramref name="cancellationToken"/> is cancelled,
    /// or when the transport cannot authenticate at all.</summary>
    /// <param name="body">The Cloud API message JSON (<see cref="MessageRequestWriter"/>).</param>
    /// <param name="timeout">This attempt's time limit.</param>
    Task<SendAttempt> SendAsync(byte[] body, TimeSpan timeout, CancellationToken cancellationToken);
}
