namespace WhatsAppChannel.Local.Campaigns;

/// <summary>One recipient of the audience, mapped as a Distributed Map flat row: the endpoint fields by their
/// Pinpoint names, every other column a user attribute. <paramref name="Line"/> is where it starts in the file.</summary>
internal sealed record AudienceRow(
    long Line,
    string? EndpointId,
    string? Address,
    string? OptOut,
    string? EndpointStatus,
    string? Locale,
    IReadOnlyList<KeyValuePair<string, string>> Attributes);
