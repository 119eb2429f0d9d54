using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.TestSupport;

/// <summary>The AWS Lambda Runtime API (2018-06-01) on 127.0.0.1, written from AWS's "Using the Lambda runtime API
/// for custom runtimes" page, not from the bootstrap's types: queues events for GET .../invocation/next and records
/// what the runtime posts to .../invocation/{id}/response, .../invocation/{id}/error and .../init/error.</summary>
internal sealed class RuntimeApiStandIn : IAsyncDisposable
{
    private const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:whatsapp-channel";

    private readonly WebApplication _app;
    private readonly Channel<QueuedEvent> _events = Channel.CreateUnbounded<QueuedEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeApiPost>> _pending = new();
    private readonly ConcurrentQueue<RuntimeApiPost> _posts = new();
    private readonly TaskCompletionSource<RuntimeApiPost> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextCalls;

    private RuntimeApiStandIn(WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    /// <summary>When set, GET next answers this status (e.g. 500, "container error") instead of an event.</summary>
    public int? NextStatusOverride { get; set; }

    /// <summary>How many times the runtime has called GET next.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>Every response, error and init error posted so far, in arrival order.</summary>
    public IReadOnlyList<RuntimeApiPost> Posts => [.. _posts];

    /// <summary>Completes when the runtime posts to /runtime/init/error.</summary>
    public Task<RuntimeApiPost> InitError => _initError.Task;

    public static async Task<RuntimeApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var standIn = new RuntimeApiStandIn(app);
        standIn.MapRoutes();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Address = new Uri(address).Authority;
        return standIn;
    }

    /// <summary>Queues an event and completes with what the runtime posted for it (its response or its error).</summary>
    public Task<RuntimeApiPost> InvokeAsync(string payload, DateTimeOffset deadline, string? traceId = null) =>
        InvokeAsync(Encoding.UTF8.GetBytes(payload), deadline, traceId);

    /// <summary>As <see cref="InvokeAsync(string, DateTimeOffset, string?)"/>, with the body as raw bytes (e.g. invalid UTF-8).</summary>
    public Task<RuntimeApiPost> InvokeAsync(byte[] payload, DateTimeOffset deadline, string? traceId = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var outcome = new TaskCompletionSource<RuntimeApiPost>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = outcome;
        if (!_events.Writer.TryWrite(new QueuedEvent(requestId, payload, deadline, traceId)))
        {
            throw new InvalidOperationException("The event queue is closed.");
        }

        return outcome.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        var stopping = _app.Lifetime.ApplicationStopping;

        _app.MapGet("/2018-06-01/runtime/invocation/next", async context =>
        {
            Interlocked.Increment(ref _nextCalls);
            if (NextStatusOverride is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { errorMessage = "stand-in failure", errorType = "Runtime.Unknown" });
                return;
            }

            QueuedEvent queued;
            try
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                queued = await _events.Reader.ReadAsync(waiting.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // The API going away: the runtime sees its connection dropped.
                context.Abort();
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = queued.RequestId;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] =
                queued.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
            if (queued.TraceId is not null)
            {
                context.Response.Headers["Lambda-Runtime-Trace-Id"] = queued.TraceId;
            }

            await context.Response.Body.WriteAsync(queued.Payload);
        });

        _app.MapPost("/2018-06-01/runtime/invocation/{requestId}/response",
            (string requestId, HttpContext context) => RecordAsync(context, requestId, RuntimeApiPostKind.Response));
        _app.MapPost("/2018-06-01/runtime/invocation/{requestId}/error",
            (string requestId, HttpContext context) => RecordAsync(context, requestId, RuntimeApiPostKind.Error));
        _app.MapPost("/2018-06-01/runtime/init/error",
            (HttpContext context) => RecordAsync(context, null, RuntimeApiPostKind.InitError));
    }

    private async Task RecordAsync(HttpContext context, string? requestId, RuntimeApiPostKind kind)
    {
        var received = Stopwatch.GetTimestamp();
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var post = new RuntimeApiPost(kind, requestId, body,
            context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault(), DateTimeOffset.UtcNow, received);
        _posts.Enqueue(post);

        if (kind == RuntimeApiPostKind.InitError)
        {
            _initError.TrySetResult(post);
        }
        else if (requestId is null || !_pending.TryRemove(requestId, out var outcome))
        {
            // Unknown or already answered request id, as the real API does.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { errorMessage = "Invalid request ID", errorType = "InvalidRequestID" });
            return;
        }
        else
        {
            outcome.TrySetResult(post);
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await context.Response.WriteAsJsonAsync(new { status = "OK" });
    }

    private sealed record QueuedEvent(string RequestId, byte[] Payload, DateTimeOffset Deadline, string? TraceId);
}
