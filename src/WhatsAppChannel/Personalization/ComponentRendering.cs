namespace WhatsAppChannel.Personalization;

/// <summary>One endpoint's components JSON (UTF-8), or why it is skipped.</summary>
internal readonly record struct ComponentRendering(byte[]? Json, string? SkipReason);
