using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.WhatsApp;

/// <summary>The production transport against a TLS server on 127.0.0.1 (Kestrel, a throw-away certificate): HTTP/2
/// when the server offers it by ALPN, as graph.facebook.com does, and HTTP/1.1 when it does not.</summary>
public sealed class GraphHttp2Tests
{
    private static readonly byte[] Body = """{"messaging_product":"whatsapp","to":"14155550123","type":"template","template":{"name":"t","language":{"code":"en_US"}}}"""u8.ToArray();

    [Fact]
    public async Task A_batch_of_fifty_goes_over_one_http2_connection_when_the_host_offers_it()
    {
        await using var server = await TlsGraphServer.StartAsync(HttpProtocols.Http1AndHttp2);
        using var client = new WhatsAppClient(server.BaseUrl, "v24.0", server.TrustingHandler(), TimeProvider.System);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.SendAsync("100000000000001", Body, "token", CancellationToken.None)));

        Assert.All(attempts, a => Assert.Equal(SendOutcome.Accepted, a.Outcome));
        Assert.All(server.Protocols, p => Assert.Equal("HTTP/2", p));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_host_without_http2_is_spoken_to_in_http1()
    {
        await using var server = await TlsGraphServer.StartAsync(HttpProtocols.Http1);
        using var client = new WhatsAppClient(server.BaseUrl, "v24.0", server.TrustingHandler(), TimeProvider.System);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SendAsync("100000000000001", Body, "token", CancellationToken.None)));

        Assert.All(attempts, a => Assert.Equal(SendOutcome.Accepted, a.Outcome));
        Assert.All(server.Protocols, p => Assert.Equal("HTTP/1.1", p));
    }

    [Fact]
    public async Task A_certificate_the_machine_does_not_trust_is_refused_before_the_token_is_sent()
    {
        await using var server = await TlsGraphServer.StartAsync(HttpProtocols.Http1AndHttp2);
        using var client = new WhatsAppClient(server.BaseUrl, "v24.0", WhatsAppClient.CreateDefaultHandler(server.BaseUrl), TimeProvider.System);

        var attempt = await client.SendAsync("100000000000001", Body, "token", CancellationToken.None);

        Assert.Equal(SendOutcome.NoAnswer, attempt.Outcome);
        Assert.Empty(server.Protocols);
    }

    /// <summary>Answers every send as the Cloud API documents a success, after 100 ms so that a batch's requests overlap;
    /// counts TCP connections and records each request's protocol.</summary>
    private sealed class TlsGraphServer : IAsyncDisposable
    {
        private readonly List<string> _protocols = [];
        private readonly X509Certificate2 _certificate = CreateCertificate();
        private WebApplication _app = null!;
        private int _connections;

        public Uri BaseUrl { get; private set; } = null!;

        public int Connections => Volatile.Read(ref _connections);

        public IReadOnlyList<string> Protocols
        {
            get
            {
                lock (_protocols)
                {
                    return [.. _protocols];
                }
            }
        }

        public static async Task<TlsGraphServer> StartAsync(HttpProtocols protocols)
        {
            var server = new TlsGraphServer();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = protocols;
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref server._connections);
                    return next(connection);
                });
                listen.UseHttps(server._certificate);
            }));
            server._app = builder.Build();
            server._app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext context) =>
            {
                lock (server._protocols)
                {
                    server._protocols.Add(context.Request.Protocol);
                }

                await Task.Delay(100);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    """{"messaging_product":"whatsapp","contacts":[{"input":"14155550123","wa_id":"14155550123"}],"messages":[{"id":"wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI"}]}""");
            });
            await server._app.StartAsync();
            var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.BaseUrl = new Uri($"https://127.0.0.1:{new Uri(address).Port}");
            return server;
        }

        /// <summary>The production handler, trusting this server's certificate only.</summary>
        public SocketsHttpHandler TrustingHandler()
        {
            var handler = WhatsAppClient.CreateDefaultHandler(BaseUrl);
            var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint;
            return handler;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            _certificate.Dispose();
        }

        private static X509Certificate2 CreateCertificate()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
        }
    }
}
