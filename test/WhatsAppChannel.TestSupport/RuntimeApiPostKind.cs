namespace WhatsAppChannel.TestSupport;

internal enum RuntimeApiPostKind
{
    Response,
    Error,
    InitError,
}
