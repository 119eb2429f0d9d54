namespace WhatsAppChannel.Throughput;

/// <summary>The shared budget could not be read or written. The message never holds credentials.</summary>
internal sealed class ThroughputStoreUnavailableException : Exception
{
    public ThroughputStoreUnavailableException() { }

    public ThroughputStoreUnavailableException(string message) : base(message) { }

    public ThroughputStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
