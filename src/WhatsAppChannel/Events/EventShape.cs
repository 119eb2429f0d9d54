namespace WhatsAppChannel.Events;

/// <summary>Which service sent the event; it decides only how the answer is written.</summary>
internal enum EventShape
{
    /// <summary>An Amazon Pinpoint custom channel (campaign or journey).</summary>
    Pinpoint,

    /// <summary>A batch from a Step Functions Distributed Map state with an <c>ItemBatcher</c>.</summary>
    DistributedMapBatch,

    /// <summary>An Amazon Connect outbound campaign's Lambda custom action.</summary>
    ConnectCampaignAction,
}
