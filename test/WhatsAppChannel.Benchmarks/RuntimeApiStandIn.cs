using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The Lambda Runtime API (2018-06-01) on 127.0.0.1, from AWS's custom-runtime documentation: hands queued
/// events to GET .../invocation/next and notes when the runtime posts each response or error.</summary>
internal sealed class RuntimeApiStandIn : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly WebApplication _app;
    private readonly Channel<(string RequestId, byte[] Payload)> _events = Channel.CreateUnbounded<(string, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimePost>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimePost> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requestCounter;

    private RuntimeApiStandIn(WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completes if the runtime reports that it could not start.</summary>
    public Task<RuntimePost> InitError => _initError.Task;

    public static async Task<RuntimeApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var standIn = new RuntimeApiStandIn(app);
        app.MapGet(Prefix + "/invocation/next", standIn.NextAsync);
        app.MapPost(Prefix + "/invocation/{id}/response", context => standIn.RecordAsync(context, isError: false));
        app.MapPost(Prefix + "/invocation/{id}/error", context => standIn.RecordAsync(context, isError: true));
        app.MapPost(Prefix + "/init/error", standIn.InitErrorAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Address = new Uri(address).Authority;
        return standIn;
    }

    /// <summary>Queues one event; completes when the runtime posts its response or error.</summary>
    public Task<RuntimePost> InvokeAsync(byte[] payload)
    {
        var requestId = "req-" + Interlocked.Increment(ref _requestCounter).ToString("D6", CultureInfo.InvariantCulture);
        var outcome = new TaskCompletionSource<RuntimePost>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = outcome;
        _events.Writer.TryWrite((requestId, payload));
        return outcome.Task;
    }

    private async Task NextAsync(HttpContext context)
    {
        // As in Lambda, next waits until there is an event (the process is frozen meanwhile).
        (string RequestId, byte[] Payload) next;
        try
        {
            next = await _events.Reader.ReadAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return;
        }

        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:whatsapp-channel";
        headers["Lambda-Runtime-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(next.Payload, context.RequestAborted);
    }

    private async Task RecordAsync(HttpContext context, bool isError)
    {
        var received = Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        var requestId = (string)context.Request.RouteValues["id"]!;
        if (_pending.TryRemove(requestId, out var outcome))
        {
            outcome.TrySetResult(new RuntimePost(received, isError, body.ToArray()));
        }
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        _initError.TrySetResult(new RuntimePost(Stopwatch.GetTimestamp(), true, body.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
