namespace WhatsAppChannel.Outcomes;

/// <summary>How one endpoint ended (the response's <c>whatsapp_status</c>).</summary>
internal enum EndpointStatus
{
    Sent,
    Skipped,
    Failed,
}
