namespace WhatsAppChannel.Observability;

/// <summary>The levels of <c>LOG_LEVEL</c>.</summary>
public enum LogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}
