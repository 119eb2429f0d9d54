using WhatsAppChannel.Outcomes;
namespace WhatsAppChannel.Planning;

/// <summary>Every endpoint of the event, in event order, as either a send or a decided skip.</summary>
internal sealed record DeliveryPlan(IReadOnlyList<string> EndpointOrder, IReadOnlyList<PlannedSend> Sends, IReadOnlyList<EndpointResult> Skipped);
