using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// A loopback HTTP server that answers <c>POST /{version}/{phone-number-id}/messages</c> (and <c>/marketing_messages</c>),
/// <c>GET /{version}/{waba-id}/message_templates</c> like the WhatsApp Cloud API,
/// renders what the recipient would read, and injects the faults configured in <see cref="SandboxOptions"/>.
/// </summary>
public sealed partial class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxOptions _options;
    private readonly MessageRequestValidator _validator;
    private readonly AcceptedMessageLog _log;
    private readonly TemplateListing _listing;
    private readonly TemplateRegistry _templates;
    private readonly Lock _statusesLock = new();
    private StatusWebhookPoster? _statuses;
    private readonly DeliveryStatuses _board = new();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private FaultSettings _faults;
    private int _requestCount;
    private int _inFlight;
    private int _maxConcurrentRequests;
    private int _disposed;

    private SandboxServer(WebApplication app, SandboxOptions options, TemplateRegistry templates)
    {
        _app = app;
        _options = options;
        _validator = new MessageRequestValidator(templates);
        _listing = new TemplateListing(templates);
        _templates = templates;
        _log = new AcceptedMessageLog(options.Clock);
        _faults = FaultSettings.From(options);
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        _statuses = options.WebhookUrl is { } url
            ? new StatusWebhookPoster(url, options.WebhookAppSecret, options.PhoneNumberId, options.BusinessAccountId, options.StatusDelay, _board)
            : null;
        BaseUrl = new Uri("http://127.0.0.1");
    }

    private StatusWebhookPoster? Statuses => Volatile.Read(ref _statuses);

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; }

    /// <summary>Accepted messages, in order (a snapshot).</summary>
    public IReadOnlyList<SandboxMessage> Messages => _log.Snapshot();

    /// <summary>Every POST to /messages or /marketing_messages, accepted or not.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The highest number of /messages requests that were in flight at once.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxConcurrentRequests);

    /// <summary>Send requests being handled now: once 0 after a caller died, no message of its can still be accepted
    /// (a request that arrives after its connection closed is aborted before it is accepted).</summary>
    public int RequestsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Starts a sandbox on 127.0.0.1 (port 0 = a free port).</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccessToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PhoneNumberId);
        FaultSettings.From(options).Validated();

        var templates = await TemplateRegistry.LoadAsync(options.TemplatesFile, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
        });

        // The harness prints JSON on stdout: the sandbox itself must write nothing there.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        // The embedding process owns Ctrl+C and SIGTERM; the console lifetime would swallow them and never stop.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });

        var app = builder.Build();
        var server = new SandboxServer(app, options, templates);
        server.MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.BaseUrl = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Posts the status webhooks of the messages accepted from now on to <paramref name="url"/>, signed with
    /// <paramref name="appSecret"/>, as <see cref="SandboxOptions.WebhookUrl"/> does from the start. For a receiver that
    /// can only start after the sandbox (the harness's in-process webhook, whose ledger depends on the sandbox's URL).</summary>
    /// <exception cref="InvalidOperationException">Status webhooks already go somewhere.</exception>
    public void PostStatusesTo(Uri url, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        lock (_statusesLock)
        {
            if (_statuses is not null)
            {
                throw new InvalidOperationException("The sandbox already posts its status webhooks to a receiver.");
            }

            _statuses = new StatusWebhookPoster(url, appSecret, _options.PhoneNumberId, _options.BusinessAccountId, _options.StatusDelay, _board);
        }
    }

    /// <summary>Status webhooks the receiver answered 2xx, and those it refused or never answered.</summary>
    public (int Posted, int Refused) StatusWebhooks => Statuses is { } statuses ? (statuses.Posted, statuses.Refused) : (0, 0);

    /// <summary>Waits until the status webhooks of every message accepted so far were posted.</summary>
    public Task WaitForStatusWebhooksAsync(CancellationToken cancellationToken) =>
        Statuses?.DrainAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>The accepted message with this <c>wamid.</c> id, if any.</summary>
    public SandboxMessage? FindMessage(string messageId) => _log.Find(messageId);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Statuses is { } statuses)
        {
            await statuses.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/{version}/{phoneNumberId}/messages", (RequestDelegate)(context => HandleSendAsync(context, marketing: false)));
        routes.MapPost("/{version}/{phoneNumberId}/marketing_messages", (RequestDelegate)(context => HandleSendAsync(context, marketing: true)));
        routes.MapGet("/{version}/{businessAccountId}/message_templates", (RequestDelegate)HandleListTemplatesAsync);
        routes.MapPost(SocialMessagingSendPath, (RequestDelegate)HandleSocialMessagingSendAsync);
        routes.MapGet("/_sandbox/messages", (RequestDelegate)(context => WriteJsonAsync(
            context,
            StatusCodes.Status200OK,
            [.. _log.Snapshot().Select(m => new SandboxMessageView(m.Id, m.To, m.TemplateName, m.Language, m.RenderedText, m.Buttons, m.AcceptedAt))],
            SandboxJsonContext.Default.IReadOnlyListSandboxMessageView)));
        routes.MapDelete("/_sandbox/messages", (RequestDelegate)(context =>
        {
            _log.Clear();
            _board.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }));
        routes.MapGet("/", (RequestDelegate)(context =>
        {
            context.Response.ContentType = "text/html; charset=UTF-8";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(PreviewPage.Html(Chats()), context.RequestAborted);
        }));
        routes.MapGet("/_sandbox/chats", (RequestDelegate)(context =>
            WriteJsonAsync(context, StatusCodes.Status200OK, Chats(), SandboxJsonContext.Default.ChatsView)));
        routes.MapGet("/_sandbox/faults", (RequestDelegate)(context =>
            WriteJsonAsync(context, StatusCodes.Status200OK, Volatile.Read(ref _faults).ToView(), SandboxJsonContext.Default.FaultSettingsView)));
        routes.MapPost("/_sandbox/faults", (RequestDelegate)HandleFaultsAsync);
    }

    /// <param name="marketing">Meta's Marketing Messages API: the same body, MARKETING templates only.</param>
    private async Task HandleSendAsync(HttpContext context, bool marketing)
    {
        Interlocked.Increment(ref _requestCount);
        RecordInFlight(Interlocked.Increment(ref _inFlight));
        try
        {
            var faults = Volatile.Read(ref _faults);
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, context.RequestAborted).ConfigureAwait(false);
            }

            var error = InjectedServerError(faults) ?? CheckAccess(context);
            if (error is not null)
            {
                await WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                await WriteErrorAsync(context, GraphError.InvalidParameter($"The request body is not valid JSON: {e.Message}")).ConfigureAwait(false);
                return;
            }

            using (document)
            {
                if (!_validator.TryValidate(document.RootElement, out var message, out var invalid))
                {
                    await WriteErrorAsync(context, invalid).ConfigureAwait(false);
                    return;
                }

                if (marketing)
                {
                    if (!_templates.TryGet(message.TemplateName, out var template) || template.Category != "MARKETING")
                    {
                        await WriteErrorAsync(context, GraphError.NotMarketingTemplate(message.TemplateName)).ConfigureAwait(false);
                        return;
                    }

                    message = message with { ViaMarketingMessages = true };
                }

                if (!_log.TryAccept(message, faults, NewMessageId(), out var accepted, out var refused))
                {
                    await WriteErrorAsync(context, refused).ConfigureAwait(false);
                    return;
                }

                _options.OnAccepted?.Invoke(accepted);
                Statuses?.Schedule(accepted);
                var response = new SendMessageResponse("whatsapp", [new SentContact(message.To, message.To)], [new SentMessage(accepted.Id, "accepted")]);
                await WriteJsonAsync(context, StatusCodes.Status200OK, response, SandboxJsonContext.Default.SendMessageResponse).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller gave up (e.g. its timeout); nothing left to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private ChatsView Chats() => new([.. _log.Snapshot()
        .GroupBy(m => m.To, StringComparer.Ordinal)
        .Select(chat => new ChatView(chat.Key, [.. chat.Select(m =>
        {
            var status = Statuses is null ? Played(m) : _board.Find(m.Id);
            return new ChatMessageView(
                m.Id, m.TemplateName, m.Language, m.Parts.Header, m.Parts.Body, m.Parts.Footer, m.Parts.Buttons, m.AcceptedAt,
                status?.Status ?? "accepted", status?.ErrorCode, m.ViaMarketingMessages);
        })]))]);

    /// <summary>Without a webhook URL nothing is posted, and no timer runs per message: the status is where the
    /// timeline would be by now, on the sandbox's clock.</summary>
    private DeliveryStatus? Played(SandboxMessage message)
    {
        var timeline = StatusWebhookPoster.Timeline(message.To);
        var elapsed = _options.Clock.GetUtcNow() - message.AcceptedAt;
        var due = _options.StatusDelay <= TimeSpan.Zero ? timeline.Length : (int)Math.Min(timeline.Length, elapsed / _options.StatusDelay);
        return due == 0 ? null : new DeliveryStatus(timeline[due - 1].Status, timeline[due - 1].ErrorCode);
    }

    private GraphError? InjectedServerError(FaultSettings faults)
    {
        if (faults.ServerErrorRate <= 0)
        {
            return null;
        }

        lock (_randomLock)
        {
            if (_random.NextDouble() >= faults.ServerErrorRate)
            {
                return null;
            }

            return _random.Next(2) == 0 ? GraphError.UnknownServerError() : GraphError.ServiceUnavailable();
        }
    }

    private Task HandleListTemplatesAsync(HttpContext context)
    {
        var businessAccountId = context.Request.RouteValues["businessAccountId"] as string ?? string.Empty;
        var error = CheckToken(context) ?? (businessAccountId == _options.BusinessAccountId ? null : GraphError.UnknownObject(businessAccountId));
        var page = error is null ? _listing.TryWritePage(context.Request, out error) : null;
        if (page is null)
        {
            return WriteErrorAsync(context, error!);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=UTF-8";
        return context.Response.Body.WriteAsync(page, context.RequestAborted).AsTask();
    }

    private GraphError? CheckAccess(HttpContext context)
    {
        var phoneNumberId = context.Request.RouteValues["phoneNumberId"] as string ?? string.Empty;
        return CheckToken(context) ?? (phoneNumberId == _options.PhoneNumberId ? null : GraphError.UnknownObject(phoneNumberId));
    }

    private GraphError? CheckToken(HttpContext context)
    {
        string? token = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization["Bearer ".Length..].Trim();
        }
        else if (context.Request.Query.TryGetValue("access_token", out var queryToken))
        {
            token = queryToken.ToString();
        }

        if (string.IsNullOrEmpty(token))
        {
            return GraphError.MissingToken();
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_options.AccessToken))
            ? null
            : GraphError.InvalidToken();
    }

    private async Task HandleFaultsAsync(HttpContext context)
    {
        FaultSettings updated;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            updated = FaultSettingsUpdate.Apply(Volatile.Read(ref _faults), document.RootElement).Validated();
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or OverflowException)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new SandboxProblem(e.Message), SandboxJsonContext.Default.SandboxProblem).ConfigureAwait(false);
            return;
        }

        Volatile.Write(ref _faults, updated);
        await WriteJsonAsync(context, StatusCodes.Status200OK, updated.ToView(), SandboxJsonContext.Default.FaultSettingsView).ConfigureAwait(false);
    }

    private void RecordInFlight(int inFlight)
    {
        var max = Volatile.Read(ref _maxConcurrentRequests);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxConcurrentRequests, inFlight, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }

    private static Task WriteErrorAsync(HttpContext context, GraphError error)
    {
        if (error.Code == 190)
        {
            context.Response.Headers.WWWAuthenticate = $"OAuth \"Facebook Platform\" \"invalid_token\" \"{error.Message}\"";
        }

        return WriteJsonAsync(context, error.HttpStatus, error.ToEnvelope(NewTraceId()), SandboxJsonContext.Default.GraphErrorEnvelope);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }

    // Shaped like Meta's ids ("wamid." + base64); random so ids never repeat across sandboxes.
    private static string NewMessageId() => "wamid.HBgL" + Base64Url(RandomNumberGenerator.GetBytes(30));

    private static string NewTraceId() => "A" + Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
