using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Benchmarks;

/// <summary>Connections a warm-up-free 50-request batch opens through the production Graph client to a TLS server on
/// 127.0.0.1 (Kestrel, a throw-away certificate, 100 ms per answer): offering HTTP/1.1 only, then HTTP/2 as well.</summary>
internal static class ConnectionsRun
{
    private const int Batch = 50;
    private static readonly byte[] Body = """{"messaging_product":"whatsapp","to":"14155550123","type":"template","template":{"name":"t","language":{"code":"en_US"}}}"""u8.ToArray();

    public static async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken cancellationToken)
    {
        var http1 = await CountAsync(HttpProtocols.Http1, cancellationToken);
        var http2 = await CountAsync(HttpProtocols.Http1AndHttp2, cancellationToken);
        return
        [
            Figure.Context("50-request batch, host offering HTTP/1.1 only: connections opened", $"{http1.Connections} ({http1.Protocol})"),
            new("50-request batch, host offering HTTP/2: connections opened", $"{http2.Connections} ({http2.Protocol})", "1", http2.Connections == 1),
        ];
    }

    private static async Task<(int Connections, string Protocol)> CountAsync(HttpProtocols protocols, CancellationToken cancellationToken)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), password: null);

        var connections = 0;
        var protocolsSeen = new HashSet<string>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref connections);
                return next(connection);
            });
            listen.UseHttps(certificate);
        }));
        await using var app = builder.Build();
        app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext context) =>
        {
            lock (protocolsSeen)
            {
                protocolsSeen.Add(context.Request.Protocol);
            }

            await Task.Delay(100);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"messaging_product":"whatsapp","messages":[{"id":"wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI"}]}""");
        });
        await app.StartAsync(cancellationToken);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        var baseUrl = new Uri($"https://127.0.0.1:{port}");

        var handler = WhatsAppClient.CreateDefaultHandler(baseUrl);
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint;
        using var client = new WhatsAppClient(baseUrl, "v24.0", handler, TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, Batch).Select(_ => client.SendAsync("100000000000001", Body, "token", cancellationToken)));
        await app.StopAsync(cancellationToken);
        return (Volatile.Read(ref connections), string.Join("/", protocolsSeen.Order(StringComparer.Ordinal)));
    }
}
