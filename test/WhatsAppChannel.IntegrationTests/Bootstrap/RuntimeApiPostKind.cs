namespace WhatsAppChannel.IntegrationTests.Bootstrap;

public enum RuntimeApiPostKind
{
    Response,
    Error,
    InitError,
}
