using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Local;

/// <summary>Closes the loop on one machine: the real webhook handler, in this process, behind a Function URL stand-in on
/// 127.0.0.1, recording into the run's ledger; the built-in sandbox posts its signed status webhooks there (sent, delivered,
/// read; failed 131049 / 131026 for its reserved numbers), so <c>report</c> shows the funnel after <c>invoke</c> or
/// <c>campaign</c>.</summary>
internal sealed class StatusLoop : IAsyncDisposable
{
    /// <summary>How long a run waits at most for the statuses of what it sent before it ends. The wait ends as soon as the
    /// last status is recorded (about a second after the last send); the limit only matters on a machine too busy for that.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly WebhookFunction _function;
    private readonly SandboxServer _sandbox;

    private StatusLoop(WebApplication app, WebhookFunction function, SandboxServer sandbox)
    {
        _app = app;
        _function = function;
        _sandbox = sandbox;
    }

    /// <summary>Status webhooks the handler answered 2xx, and those it refused.</summary>
    public (int Posted, int Refused) Webhooks => _sandbox.StatusWebhooks;

    /// <param name="configuration">The sender's configuration: the webhook reads the same ledger settings and keywords.</param>
    /// <param name="ledger">The run's ledger; null = the one the configuration names (the table of IDEMPOTENCY_TABLE).</param>
    public static async Task<StatusLoop> StartAsync(
        SandboxServer sandbox, FunctionConfiguration configuration, IDeliveryStatusLedger? ledger, TextWriter log, CancellationToken cancellationToken)
    {
        // A secret of this run only: nothing but this sandbox can sign for this webhook.
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var function = WebhookFunction.Create(
            configuration with { AppSecret = secret, SecretArn = null }, log, new WebhookFunctionOptions { Ledger = ledger });
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(IPAddress.Loopback, 0);
            });
            var app = builder.Build();
            app.Run(context => ForwardAsync(function, context));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            sandbox.PostStatusesTo(new Uri(app.Urls.First() + "/"), secret);
            return new StatusLoop(app, function, sandbox);
        }
        catch
        {
            await function.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the statuses of every message the sandbox accepted were posted (each message then sits in its
    /// final state: read or failed), or <paramref name="limit"/> passed.</summary>
    /// <returns>False when the limit passed first.</returns>
    public async Task<bool> WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await _sandbox.WaitForStatusWebhooksAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>One line after the wait: how many statuses were recorded, and where to see them.</summary>
    public static Task WriteOutcomeAsync(TextWriter output, int recorded, bool complete) =>
        output.WriteLineAsync(complete
            ? $"Delivery statuses: {recorded} recorded in the ledger; `whatsapp-channel report` shows the funnel."
            : $"Delivery statuses: {recorded} recorded in the ledger; the rest were still on their way after {DefaultWait.TotalSeconds:0} s and are not recorded.");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _function.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One HTTP request as the Function URL event (payload format 2.0) Lambda would pass, the handler's answer back.
    /// The body goes base64-encoded, so the signature is checked over exactly the bytes the sandbox signed.</summary>
    private static async Task ForwardAsync(WebhookFunction function, HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        using var request = new MemoryStream();
        using (var writer = new Utf8JsonWriter(request))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "2.0");
            writer.WriteString("rawPath", context.Request.Path.Value ?? "/");
            writer.WriteString("rawQueryString", context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty);
            writer.WriteStartObject("headers");
            foreach (var (name, values) in context.Request.Headers)
            {
                writer.WriteString(name.ToLowerInvariant(), string.Join(',', values.ToArray()));
            }

            writer.WriteEndObject();
            if (context.Request.Query.Count > 0)
            {
                writer.WriteStartObject("queryStringParameters");
                foreach (var (name, values) in context.Request.Query)
                {
                    writer.WriteString(name, string.Join(',', values.ToArray()));
                }

                writer.WriteEndObject();
            }

            writer.WriteStartObject("requestContext");
            writer.WriteStartObject("http");
            writer.WriteString("method", context.Request.Method);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("body", Convert.ToBase64String(body.GetBuffer(), 0, (int)body.Length));
            writer.WriteBoolean("isBase64Encoded", true);
            writer.WriteEndObject();
        }

        request.Position = 0;
        var invocation = new InvocationContext("local-webhook", DateTimeOffset.UtcNow.AddSeconds(30));
        await using var output = await function.HandleAsync(request, invocation, context.RequestAborted).ConfigureAwait(false);
        using var answer = await JsonDocument.ParseAsync(output, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = answer.RootElement.GetProperty("statusCode").GetInt32();
        if (answer.RootElement.TryGetProperty("body", out var text) && text.GetString() is { Length: > 0 } content)
        {
            await context.Response.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
