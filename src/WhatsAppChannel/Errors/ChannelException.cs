namespace WhatsAppChannel.Errors;

/// <summary>An error that fails the whole invocation; <see cref="ErrorType"/> is what Lambda reports.</summary>
public abstract class ChannelException : Exception
{
    protected ChannelException(string message, Exception? inner = null) : base(message, inner) { }

    public abstract string ErrorType { get; }
}
