namespace WhatsAppChannel.Local;

/// <summary>One row of <c>event</c>'s input: a phone number and the user attributes that go with it.</summary>
internal sealed record Recipient(string Address, IReadOnlyList<KeyValuePair<string, string>> Attributes);
