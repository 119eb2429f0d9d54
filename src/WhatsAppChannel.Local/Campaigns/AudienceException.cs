namespace WhatsAppChannel.Local.Campaigns;

/// <summary>The audience file cannot be used; the message is one line that names the file and, where known, the line.</summary>
internal sealed class AudienceException(string message, Exception? inner = null) : Exception(message, inner);
