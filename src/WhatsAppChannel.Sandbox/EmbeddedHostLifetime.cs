using Microsoft.Extensions.Hosting;

namespace WhatsAppChannel.Sandbox;

/// <summary>A host lifetime that hooks no process signals: the sandbox stops when its owner disposes it.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
