using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.IntegrationTests.Idempotency;

/// <summary>A DynamoDB endpoint on 127.0.0.1 that forwards every call to dynalite, but for the first call of one
/// operation (the <c>X-Amz-Target</c> header, e.g. <c>DynamoDB_20120810.PutItem</c>) throws dynalite's answer away
/// and answers HTTP 500 InternalServerError, as DynamoDB documents for a retryable server fault. The write has landed;
/// the SDK, told it failed, retries it.</summary>
public sealed class AnswerLosingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _lost;

    private AnswerLosingProxy(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public int Lost => Volatile.Read(ref _lost);

    public static async Task<AnswerLosingProxy> StartAsync(Uri upstream, string operation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new AnswerLosingProxy(app);
        var upstreamClient = new HttpClient { BaseAddress = upstream };
        app.Lifetime.ApplicationStopped.Register(upstreamClient.Dispose);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            using var forwarded = new HttpRequestMessage(HttpMethod.Post, context.Request.Path.Value) { Content = new ByteArrayContent(body.ToArray()) };
            foreach (var header in context.Request.Headers)
            {
                if (!header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) && !forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
                {
                    forwarded.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }
            }

            using var answer = await upstreamClient.SendAsync(forwarded);
            var answerBody = await answer.Content.ReadAsByteArrayAsync();
            if (context.Request.Headers["X-Amz-Target"] == operation && Interlocked.CompareExchange(ref proxy._lost, 1, 0) == 0)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/x-amz-json-1.0";
                await context.Response.WriteAsync("""{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""");
                return;
            }

            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await context.Response.Body.WriteAsync(answerBody);
        });
        await app.StartAsync();
        proxy.Endpoint = new Uri(app.Urls.First());
        return proxy;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
