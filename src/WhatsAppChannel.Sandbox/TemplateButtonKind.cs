namespace WhatsAppChannel.Sandbox;

internal enum TemplateButtonKind
{
    QuickReply,
    Url,
    PhoneNumber,
}
