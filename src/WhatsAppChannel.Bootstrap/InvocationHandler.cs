using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Bootstrap;

/// <summary>The function the loop runs per event (<see cref="ChannelFunction.HandleAsync"/> or <see cref="WebhookFunction.HandleAsync"/> in production).</summary>
internal delegate Task<Stream> InvocationHandler(Stream input, InvocationContext context, CancellationToken cancellationToken);
