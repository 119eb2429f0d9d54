namespace WhatsAppChannel.WhatsApp;

/// <summary>What to do about a failed send.</summary>
internal enum ErrorClass
{
    /// <summary>Not an error.</summary>
    None,

    /// <summary>Retry with backoff within the deadline.</summary>
    Transient,

    /// <summary>The token was rejected: fetch it again once, then retry.</summary>
    Token,

    /// <summary>Too many messages to this recipient (131056): retry only if seconds remain.</summary>
    PairRateLimit,

    /// <summary>Will fail again: report it.</summary>
    Permanent,

    /// <summary>WhatsApp may have accepted the message (a timeout, a cut answer, a gateway's error page): never resend.</summary>
    DeliveryUnknown,
}
