namespace WhatsAppChannel.Hosting;

/// <summary>Who carries the messages to WhatsApp (<c>WHATSAPP_TRANSPORT</c>).</summary>
public enum MessageTransportKind
{
    /// <summary>The Cloud API directly, with a Meta access token.</summary>
    Meta,

    /// <summary>AWS End User Messaging Social, authorized by IAM; no Meta token.</summary>
    Aws,
}
