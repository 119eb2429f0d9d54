namespace WhatsAppChannel.Idempotency;

/// <summary>How far a sent message got, as Meta's status webhooks report it. The values are ranks: a status
/// changes a message only when its rank is higher, so duplicates and late arrivals change nothing.</summary>
internal enum DeliveryState
{
    Sent = 1,
    Delivered = 2,
    Read = 3,

    /// <summary>Final: nothing replaces it, and its error code is kept.</summary>
    Failed = 4,
}
