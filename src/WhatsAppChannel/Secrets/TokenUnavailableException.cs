using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Secrets;

/// <summary>No access token could be obtained. The message never contains the token.</summary>
internal sealed class TokenUnavailableException : ChannelException
{
    public TokenUnavailableException(string message, Exception? inner = null) : base(message, inner) { }

    public override string ErrorType => "TokenUnavailable";

    /// <summary>The cause may pass (throttling, 5xx, extension not ready): worth another attempt.</summary>
    internal bool IsTransient { get; init; }
}
