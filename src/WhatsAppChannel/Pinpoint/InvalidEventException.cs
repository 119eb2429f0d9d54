using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Pinpoint;

/// <summary>The event cannot be used: not JSON, no endpoints, unusable Data.</summary>
internal sealed class InvalidEventException : ChannelException
{
    public InvalidEventException(string message, Exception? inner = null) : base(message, inner) { }

    public override string ErrorType => "InvalidEvent";
}
