namespace WhatsAppChannel.Templates;

/// <summary>The template listing could not be read; preflight is skipped, sending goes on.</summary>
internal sealed class TemplateListingException(string message, Exception? inner = null) : Exception(message, inner);
