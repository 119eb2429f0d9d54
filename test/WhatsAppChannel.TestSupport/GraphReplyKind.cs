namespace WhatsAppChannel.TestSupport;

/// <summary>How the scripted Graph server treats one request.</summary>
internal enum GraphReplyKind
{
    /// <summary>Answer with the status and body.</summary>
    Respond,

    /// <summary>Never answer; wait until the caller gives up.</summary>
    Hang,

    /// <summary>Drop the connection before any response byte.</summary>
    ResetBeforeHeaders,

    /// <summary>Send the status line and half of the body, then drop the connection.</summary>
    ResetMidBody,
}
