using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.TestSupport;

/// <summary>
/// A stand-in for the Graph API on 127.0.0.1 that answers each send from the test's script (errors, hangs, resets),
/// records every request and counts the requests in flight.
/// </summary>
internal sealed class ScriptedGraphServer : IAsyncDisposable
{
    private readonly Func<GraphCall, GraphReply> _script;
    private readonly object _gate = new();
    private readonly List<GraphCall> _calls = [];
    private readonly Dictionary<string, int> _callsPerRecipient = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _inFlight;
    private int _maxInFlight;

    private ScriptedGraphServer(Func<GraphCall, GraphReply> script) => _script = script;

    public Uri BaseUrl
    {
        get
        {
            var address = _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new Uri($"http://127.0.0.1:{new Uri(address).Port}");
        }
    }

    public IReadOnlyList<GraphCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The most requests that were between "received" and "answer started" at once. Always within the
    /// client's own in-flight window, so it never over-counts what the client had outstanding.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>A server whose every send gets <c>script(call)</c>.</summary>
    public static async Task<ScriptedGraphServer> StartAsync(Func<GraphCall, GraphReply> script)
    {
        var server = new ScriptedGraphServer(script);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        return server;
    }

    /// <summary>Answers every send as accepted, with id <c>wamid.{n}</c>.</summary>
    public static Func<GraphCall, GraphReply> AcceptAll() => call => GraphReply.Accepted(call.To, MessageId(call));

    public static string MessageId(GraphCall call) => $"wamid.test-{call.Number}";

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var call = Record(context.Request, body);
        var inFlight = Interlocked.Increment(ref _inFlight);
        RecordMax(inFlight);
        var counted = true;
        void Leave()
        {
            if (counted)
            {
                counted = false;
                Interlocked.Decrement(ref _inFlight);
            }
        }

        try
        {
            var reply = _script(call);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }

            switch (reply.Kind)
            {
                case GraphReplyKind.Hang:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    break;
                case GraphReplyKind.ResetBeforeHeaders:
                    Leave();
                    context.Abort();
                    break;
                case GraphReplyKind.ResetMidBody:
                    var payload = Encoding.UTF8.GetBytes(reply.Body);
                    context.Response.StatusCode = reply.Status;
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = payload.Length;
                    await context.Response.Body.WriteAsync(payload.AsMemory(0, payload.Length / 2), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    // A reset discards what the peer has not read yet: let the first half arrive before it.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), context.RequestAborted);
                    Leave();
                    context.Abort();
                    break;
                default:
                    Leave();
                    context.Response.StatusCode = reply.Status;
                    context.Response.ContentType = "application/json";
                    if (reply.RetryAfter is not null)
                    {
                        context.Response.Headers.RetryAfter = reply.RetryAfter;
                    }

                    if (reply.PaddingBytes > 0)
                    {
                        await WritePaddedAsync(context, reply);
                    }
                    else
                    {
                        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout or deadline), or stopped reading a long answer.
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Streams the body with its padding member from one shared block, so many huge answers cost no memory.</summary>
    private static async Task WritePaddedAsync(HttpContext context, GraphReply reply)
    {
        var (head, tail) = reply.PaddingFirst
            ? ("{\"padding\":\"", "\"," + reply.Body[1..])
            : (reply.Body[..^1] + ",\"padding\":\"", "\"}");
        var headBytes = Encoding.UTF8.GetBytes(head);
        var tailBytes = Encoding.UTF8.GetBytes(tail);
        context.Response.ContentLength = headBytes.Length + reply.PaddingBytes + tailBytes.Length;
        await context.Response.Body.WriteAsync(headBytes, context.RequestAborted);
        for (var left = reply.PaddingBytes; left > 0; left -= PaddingBlock.Length)
        {
            await context.Response.Body.WriteAsync(PaddingBlock.AsMemory(0, (int)Math.Min(left, PaddingBlock.Length)), context.RequestAborted);
        }

        await context.Response.Body.WriteAsync(tailBytes, context.RequestAborted);
    }

    private static readonly byte[] PaddingBlock = Enumerable.Repeat((byte)'x', 64 * 1024).ToArray();

    private GraphCall Record(HttpRequest request, string body)
    {
        var to = ReadTo(body);
        lock (_gate)
        {
            _callsPerRecipient[to] = _callsPerRecipient.GetValueOrDefault(to) + 1;
            var call = new GraphCall(
                _calls.Count + 1,
                _callsPerRecipient[to],
                to,
                request.Method,
                request.Path.Value ?? string.Empty,
                request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString(),
                request.ContentType,
                body);
            _calls.Add(call);
            return call;
        }
    }

    private static string ReadTo(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String ? to.GetString()! : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private void RecordMax(int inFlight)
    {
        var max = Volatile.Read(ref _maxInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            // A hung request must not hold the test up: stop without waiting long for it to drain.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _app.StopAsync(stopping.Token);
            await _app.DisposeAsync();
        }
    }
}
