namespace WhatsAppChannel.Local.Campaigns;

/// <summary>A row with the endpoint id it is sent under; <see cref="DuplicateOfLine"/> is set when an earlier row has
/// the same number, and then the row is reported, never sent.</summary>
internal sealed record AudienceEntry(AudienceRow Row, string EndpointId, long? DuplicateOfLine);
