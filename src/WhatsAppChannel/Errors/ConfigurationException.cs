namespace WhatsAppChannel.Errors;

/// <summary>A missing or malformed environment variable; the message names it.</summary>
internal sealed class ConfigurationException : ChannelException
{
    public ConfigurationException(string message) : base(message) { }

    public override string ErrorType => "InvalidConfiguration";
}
