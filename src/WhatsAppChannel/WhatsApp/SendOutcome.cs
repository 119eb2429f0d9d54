namespace WhatsAppChannel.WhatsApp;

internal enum SendOutcome
{
    /// <summary>WhatsApp accepted the message and gave its id.</summary>
    Accepted,

    /// <summary>WhatsApp answered with an error; the message was not sent.</summary>
    Rejected,

    /// <summary>No usable answer: connection failure, timeout, or a body we cannot read.</summary>
    NoAnswer,
}
