using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Tests.Webhook;

/// <summary>Stands in for a Lambda Function URL on 127.0.0.1: turns each HTTP request into a payload 2.0 event
/// (lower-case headers, body as text), runs the webhook function on it and answers with its response object.</summary>
internal sealed class FunctionUrlStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FunctionUrlStandIn(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First() + "/");

    public static async Task<FunctionUrlStandIn> StartAsync(WebhookFunction function)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = new JsonObject();
            foreach (var header in context.Request.Headers)
            {
                headers[header.Key.ToLowerInvariant()] = header.Value.ToString();
            }

            var query = new JsonObject();
            foreach (var parameter in context.Request.Query)
            {
                query[parameter.Key] = parameter.Value.ToString();
            }

            var request = MetaWebhookSender.FunctionUrlEvent(
                context.Request.Method, context.Request.QueryString.Value?.TrimStart('?') ?? "", query, headers, body, base64: false);
            await using var output = await function.HandleAsync(
                new MemoryStream(Encoding.UTF8.GetBytes(request)), new InvocationContext("url-1", DateTimeOffset.UtcNow.AddSeconds(30)), context.RequestAborted);
            using var answer = await JsonDocument.ParseAsync(output);
            context.Response.StatusCode = answer.RootElement.GetProperty("statusCode").GetInt32();
            await context.Response.WriteAsync(answer.RootElement.GetProperty("body").GetString()!);
        });
        await app.StartAsync();
        return new FunctionUrlStandIn(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
