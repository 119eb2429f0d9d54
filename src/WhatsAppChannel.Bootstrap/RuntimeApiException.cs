namespace WhatsAppChannel.Bootstrap;

/// <summary>The Runtime API answered with a status the runtime cannot go on after, or could not be reached.</summary>
internal sealed class RuntimeApiException : Exception
{
    public RuntimeApiException(string message, Exception? inner = null) : base(message, inner) { }
}
