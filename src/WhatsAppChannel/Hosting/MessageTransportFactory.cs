using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Hosting;

/// <summary>Builds the transport the configuration asks for; the only place that knows there is more than one.</summary>
internal static class MessageTransportFactory
{
    public static IMessageTransport Create(FunctionConfiguration configuration, IAccessTokenCache tokens, ChannelFunctionOptions options) =>
        new GraphTransport(
            new WhatsAppClient(configuration.ApiBaseUrl, configuration.ApiVersion, configuration.PhoneNumberId, options.GraphHandler ?? WhatsAppClient.CreateDefaultHandler()),
            tokens);
}
