using System.Text.Json;
using System.Threading.RateLimiting;
using Polly;
using WhatsAppChannel.CampaignData;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Sending;
using WhatsAppChannel.Templates;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Hosting;

/// <summary>The handler every host calls: one event in, the per-endpoint response out.
/// Built once per process and reused across invocations (pooled HttpClient, token cache, ledger, rate limiter).</summary>
public sealed class ChannelFunction : IAsyncDisposable
{
    private readonly FunctionConfiguration _configuration;
    private readonly JsonLog _log;
    private readonly TimeProvider _time;
    private readonly IAccessTokenCache? _tokens;
    private readonly IIdempotencyLedger? _ownedLedger;
    private readonly IThroughputStore? _ownedThroughputStore;
    private readonly SenderNumbers _senders;
    private readonly IMessageTransport _transport;
    private readonly RateLimiter _rateLimiter;
    private readonly DeliveryPlanner _planner;
    private readonly DeliveryEngine _engine;
    private readonly OptOutFilter? _optOuts;
    private readonly CampaignDataLoader _campaignData;
    private readonly string _functionName;
    private readonly TemplateListingClient? _listing;
    private readonly TemplatePreflight? _preflight;

    private ChannelFunction(
        FunctionConfiguration configuration,
        JsonLog log,
        TimeProvider time,
        IAccessTokenCache? tokens,
        IIdempotencyLedger ledger,
        bool ownsLedger,
        IThroughputStore throughputStore,
        bool ownsThroughputStore,
        IMessageTransport transport,
        ResiliencePipeline<SendAttempt> retries,
        ICampaignDataSource? campaignData)
    {
        _ownedLedger = ownsLedger ? ledger : null;
        _ownedThroughputStore = ownsThroughputStore ? throughputStore : null;
        _senders = new SenderNumbers(configuration.PhoneNumberId, configuration.PhoneNumberIds, configuration.PhoneNumberIdsVariable);
        _configuration = configuration;
        _log = log;
        _time = time;
        _tokens = tokens;
        _transport = transport;
        _rateLimiter = CreateRateLimiter(configuration.SendRatePerSecond);
        _planner = new DeliveryPlanner(
            new PhoneNumberNormalizer(configuration.DefaultRegion),
            new LanguageSelector(configuration.DefaultLanguage, configuration.LanguageFromLocale));
        var budget = new ThroughputBudget(throughputStore, configuration.ThroughputPerSecond, LatestStartInSlot(throughputStore), time, (number, error) =>
            log.Write(LogLevel.Warning, "throughput budget unavailable: this instance counts alone for a second", w =>
            {
                w.WriteString("phoneNumberId", number);
                w.WriteString("error", error.Message);
            }));
        _engine = new DeliveryEngine(transport, ledger, _rateLimiter, budget, retries, configuration.IdempotencyClaimLifetime, log, time);
        // Both production ledgers keep opt-outs; a stand-in ledger that does not has none to honor.
        _optOuts = ledger is IDeliveryStatusLedger statuses ? new OptOutFilter(statuses, log, time) : null;
        _functionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "WhatsAppChannel";
        _campaignData = new CampaignDataLoader(campaignData, time);
        if (configuration.BusinessAccountId is { } businessAccountId && tokens is not null)
        {
            _listing = new TemplateListingClient(configuration.ApiBaseUrl, configuration.ApiVersion, businessAccountId, WhatsAppClient.CreateDefaultHandler(configuration.ApiBaseUrl), tokens);
            _preflight = new TemplatePreflight(new TemplateCatalog(_listing, configuration.TemplateCacheLifetime, time), log);
        }
    }

    /// <summary>Builds the function from its configuration; <paramref name="log"/> receives JSON log lines and metrics.</summary>
    public static ChannelFunction Create(FunctionConfiguration configuration, TextWriter log) =>
        Create(configuration, log, new ChannelFunctionOptions());

    /// <summary>As <see cref="Create(FunctionConfiguration, TextWriter)"/>, with parts replaced (tests, the local harness).</summary>
    internal static ChannelFunction Create(FunctionConfiguration configuration, TextWriter log, ChannelFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        var time = options.TimeProvider ?? TimeProvider.System;
        // Only the Graph transport sends a Meta token.
        var tokens = configuration.Transport == MessageTransportKind.Meta ? options.AccessTokens ?? AccessTokenCacheFactory.Create(configuration, time) : null;
        return new ChannelFunction(
            configuration,
            new JsonLog(log, configuration.LogLevel, time),
            time,
            tokens,
            options.Ledger ?? IdempotencyLedgerFactory.Create(configuration, time),
            ownsLedger: options.Ledger is null,
            options.ThroughputStore ?? ThroughputStoreFactory.Create(configuration),
            ownsThroughputStore: options.ThroughputStore is null,
            MessageTransportFactory.Create(configuration, tokens, options, time),
            RetryPolicy.Create(time, options.RetryBaseDelay, options.PairRateLimitDelay),
            options.CampaignData ?? CampaignDataSourceFactory.Create(configuration, time));
    }

    /// <summary>Handles one event (Pinpoint, a Step Functions batch or an Amazon Connect action) and returns the answer JSON
    /// in the sender's form, one result per endpoint even past the deadline.</summary>
    /// <exception cref="ChannelException">The event is unusable or no token can be obtained.</exception>
    public async Task<Stream> HandleAsync(Stream input, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var started = _time.GetTimestamp();
        var startedAt = _time.GetUtcNow();
        try
        {
            // Read whatever the deadline: an event past its deadline still gets one result per endpoint.
            var payload = await ReadAllAsync(input).ConfigureAwait(false);
            var parsed = EventParser.Parse(payload.Span);

            // A sender that waits less than the function's timeout (Amazon Connect) must have its answer in time.
            var deadline = parsed.AnswerWithin is { } within && startedAt + within < context.Deadline ? startedAt + within : context.Deadline;
            using var sendDeadline = SendDeadline.Before(deadline, AnswerReserve, _time, cancellationToken);
            var campaign = await _campaignData.CompleteAsync(parsed, sendDeadline.StartBy, cancellationToken).ConfigureAwait(false);
            var sender = _senders.Resolve(campaign.PhoneNumberId ?? campaign.Template?.PhoneNumberId);
            var plan = _planner.Plan(campaign);
            // Opted out (WhatsApp replies), then marketing blocked for the US: decided before any send.
            var (sends, setAside) = _optOuts is null
                ? (plan.Sends, [])
                : await _optOuts.ApplyAsync(plan.Sends, sendDeadline.StartBy).ConfigureAwait(false);
            if (sends.Count > 0 && _tokens is not null)
            {
                // No token means nothing can be sent: fail the invocation rather than every endpoint.
                await FetchTokenBeforeAsync(_tokens, sendDeadline).ConfigureAwait(false);
                if (_preflight is not null && campaign.Template is { } template)
                {
                    var category = await _preflight.CheckAsync(template, template.Language ?? (_configuration.LanguageFromLocale ? null : _configuration.DefaultLanguage), sendDeadline.StartToken).ConfigureAwait(false);
                    IReadOnlyList<EndpointResult> blocked;
                    (sends, blocked) = MarketingRoute.Apply(sends, category, _configuration.MarketingMessages);
                    setAside = [.. setAside, .. blocked];
                }
            }

            foreach (var decided in plan.Decided.Concat(setAside))
            {
                Report(decided, sender, context);
            }

            var sent = await _engine.DeliverAsync(
                sends,
                sender,
                _configuration.SendConcurrency,
                sendDeadline,
                result => Report(result, sender, context)).ConfigureAwait(false);

            var byId = plan.Decided.Concat(setAside).Concat(sent).ToDictionary(r => r.EndpointId, StringComparer.Ordinal);
            var results = plan.EndpointOrder.Select(id => byId[id]).ToList();
            var metrics = InvocationMetrics.From(results);
            LogSummary(context, campaign, sender, metrics, _time.GetElapsedTime(started));
            foreach (var document in metrics.ToEmf(_time.GetUtcNow(), _functionName, sender))
            {
                _log.WriteLine(document);
            }

            var output = new MemoryStream();
            ResponseWriter.Write(output, campaign.Shape, results);
            output.Position = 0;
            return output;
        }
        catch (ChannelException ex)
        {
            _log.Write(LogLevel.Error, "invocation failed", w =>
            {
                w.WriteString("requestId", context.RequestId);
                w.WriteString("errorType", ex.ErrorType);
                w.WriteString("error", ex.Message);
            });
            throw;
        }
    }

    /// <summary>Kept after the sends to record their outcomes and answer: a remote ledger write takes up to 2 s, and
    /// a batch of thousands of endpoints takes a good part of a second to report and answer.</summary>
    private TimeSpan AnswerReserve => _configuration.IdempotencyTable is null ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2.5);

    /// <summary>A Secrets Manager that hangs must not carry the invocation past its deadline.</summary>
    private static async Task FetchTokenBeforeAsync(IAccessTokenCache tokens, SendDeadline deadline)
    {
        if (!deadline.CanStart)
        {
            return; // Out of time before starting: every send reports deadline-exceeded.
        }

        try
        {
            await tokens.GetTokenAsync(deadline.StartToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw new TokenUnavailableException("no access token could be obtained before the invocation's deadline", ex);
        }
    }

    private void Report(EndpointResult result, string sender, InvocationContext context)
    {
        var level = result.Status == EndpointStatus.Failed ? LogLevel.Warning : LogLevel.Information;
        _log.Write(level, "endpoint " + ResponseWriter.StatusText(result.Status), w =>
        {
            w.WriteString("requestId", context.RequestId);
            w.WriteString("endpointId", PhoneMask.MaskNumbersIn(result.EndpointId));
            w.WriteString("phoneNumberId", sender);
            w.WriteString("address", result.MaskedAddress);
            w.WriteString("status", ResponseWriter.StatusText(result.Status));
            WriteIfPresent(w, "messageId", result.MessageId);
            WriteIfPresent(w, "code", result.ErrorCode);
            WriteIfPresent(w, "reason", result.Reason);
            w.WriteNumber("attempts", result.Attempts);
            w.WriteNumber("durationMs", Math.Round(result.Duration.TotalMilliseconds, 1));
        });
        context.Progress?.Report(result);
    }

    private void LogSummary(InvocationContext context, CampaignEvent campaign, string sender, InvocationMetrics metrics, TimeSpan duration) =>
        _log.Write(LogLevel.Information, "invocation done", w =>
        {
            w.WriteString("requestId", context.RequestId);
            WriteIfPresent(w, "traceId", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
            WriteIfPresent(w, "applicationId", campaign.Scope.ApplicationId);
            WriteIfPresent(w, "campaignId", campaign.Scope.CampaignId);
            WriteIfPresent(w, "journeyId", campaign.Scope.JourneyId);
            WriteIfPresent(w, "templateName", campaign.Template?.Name);
            w.WriteString("phoneNumberId", sender);
            w.WriteNumber("endpoints", campaign.Endpoints.Count);
            w.WriteNumber("sent", metrics.Sent);
            w.WriteNumber("skipped", metrics.Skipped);
            w.WriteNumber("failed", metrics.Failed);
            w.WriteNumber("retries", metrics.Retries);
            w.WriteNumber("durationMs", Math.Round(duration.TotalMilliseconds, 1));
        });

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream input)
    {
        if (input is MemoryStream memory && memory.TryGetBuffer(out var segment))
        {
            return segment.AsMemory((int)memory.Position);
        }

        // Not canceled by the host: an event whose deadline has passed is still read, so that it is answered.
        var copy = new MemoryStream();
        await input.CopyToAsync(copy, CancellationToken.None).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    /// <summary>WhatsApp counts messages per second per business number. A sliding one-second window (in tenths)
    /// lets a 50-endpoint batch start at once, yet never lets more than the rate through in any second; a token
    /// bucket with the same burst would allow up to twice the rate across a window.</summary>
    private static SlidingWindowRateLimiter CreateRateLimiter(int perSecond) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = perSecond,
        Window = TimeSpan.FromSeconds(1),
        SegmentsPerWindow = 10,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    /// <summary>Instances sharing a number wait for slots anyway, so their sends start on slot edges and the limit holds
    /// in every rolling second. One instance alone uses a slot to its end: a batch goes out at once instead of waiting
    /// up to 100 ms, at the price of one slot's permits of slack in the rolling second.</summary>
    private static TimeSpan LatestStartInSlot(IThroughputStore store) =>
        store is InProcessThroughputStore ? ThroughputSlots.Width : TimeSpan.FromMilliseconds(20);

    public async ValueTask DisposeAsync()
    {
        (_transport as IDisposable)?.Dispose();
        _listing?.Dispose();
        (_ownedLedger as IDisposable)?.Dispose();
        (_ownedThroughputStore as IDisposable)?.Dispose();
        await _rateLimiter.DisposeAsync().ConfigureAwait(false);
    }
}
