using Amazon;
using Amazon.Runtime.Signing;
using WhatsAppChannel.EndUserMessaging;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Hosting;

/// <summary>Builds the transport the configuration asks for; the only place that knows there is more than one.</summary>
internal static class MessageTransportFactory
{
    private const string SocialMessagingSigningService = "social-messaging";

    /// <param name="tokens">The Meta token; null for the aws transport, which needs none.</param>
    public static IMessageTransport Create(FunctionConfiguration configuration, IAccessTokenCache? tokens, ChannelFunctionOptions options, TimeProvider time)
    {
        if (configuration.Transport == MessageTransportKind.Meta)
        {
            var client = new WhatsAppClient(
                configuration.ApiBaseUrl,
                configuration.ApiVersion,
                options.GraphHandler ?? WhatsAppClient.CreateDefaultHandler(configuration.ApiBaseUrl),
                time);
            return new GraphTransport(client, tokens ?? throw new ArgumentNullException(nameof(tokens)));
        }

        var region = configuration.AwsRegion
            ?? throw new ConfigurationException("AWS_REGION is not set: the aws transport signs its requests for the region of End User Messaging Social.");
        var endpoint = configuration.SocialMessagingEndpoint ?? new Uri($"https://social-messaging.{region}.amazonaws.com/");
        // The pooled, redirect-free handler of the Graph client: a followed redirect would carry a stale signature.
        var signer = new SigV4SigningHandler(
            options.AwsCredentials ?? new DefaultChainCredentials(),
            RegionEndpoint.GetBySystemName(region),
            SocialMessagingSigningService,
            WhatsAppClient.CreateDefaultHandler(endpoint));
        // Each attempt's time limit comes with its cancellation token.
        var http = new HttpClient(signer, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new SocialMessagingClient(http, endpoint, configuration.ApiVersion);
    }
}
