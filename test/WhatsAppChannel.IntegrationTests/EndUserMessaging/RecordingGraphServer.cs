using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.IntegrationTests.EndUserMessaging;

/// <summary>A Cloud API messages endpoint on 127.0.0.1 that accepts everything and keeps each request body as sent.</summary>
internal sealed class RecordingGraphServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _bodies = new();

    private RecordingGraphServer(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Urls.First());

    public IReadOnlyList<byte[]> Bodies => [.. _bodies];

    public static async Task<RecordingGraphServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RecordingGraphServer(app);
        app.MapPost("/{version}/{phoneNumberId}/messages", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            server._bodies.Enqueue(body.ToArray());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"messaging_product":"whatsapp","contacts":[],"messages":[{"id":"wamid.RECORDED"}]}""");
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
