using WhatsAppChannel.Outcomes;
namespace WhatsAppChannel.Planning;

/// <summary>Every endpoint of the event, in event order, as either a send or an outcome decided without sending
/// (a skip, or a failure of an item unusable as given).</summary>
internal sealed record DeliveryPlan(IReadOnlyList<string> EndpointOrder, IReadOnlyList<PlannedSend> Sends, IReadOnlyList<EndpointResult> Decided);
