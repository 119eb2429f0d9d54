using WhatsAppChannel.Pinpoint;

namespace WhatsAppChannel.Delivery;

/// <summary>A message ready to go: the request body is final, only the send remains.</summary>
public sealed record PlannedSend(PinpointEndpoint Endpoint, string To, string Language, byte[] Body, string IdempotencyKey)
{
    public string EndpointId => Endpoint.Id;

    public string MaskedAddress => Observability.PhoneMask.Mask(To);
}
