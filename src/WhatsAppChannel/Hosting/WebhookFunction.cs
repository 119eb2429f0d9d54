using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Webhook;

namespace WhatsAppChannel.Hosting;

/// <summary>The webhook handler every host calls: a Function URL request (Meta) or an SNS event (AWS End User
/// Messaging Social) in, the Function URL response out. Built once per process.</summary>
public sealed class WebhookFunction : IAsyncDisposable
{
    private readonly WebhookHandler _handler;
    private readonly IDisposable? _ownedLedger;

    private WebhookFunction(WebhookHandler handler, IDisposable? ownedLedger)
    {
        _handler = handler;
        _ownedLedger = ownedLedger;
    }

    /// <summary>Builds the webhook from the same configuration as the sender, plus <c>WHATSAPP_WEBHOOK_VERIFY_TOKEN</c>,
    /// <c>FB_APP_SECRET</c> and the keyword lists.</summary>
    public static WebhookFunction Create(FunctionConfiguration configuration, TextWriter log) =>
        Create(configuration, log, new WebhookFunctionOptions());

    /// <summary>As <see cref="Create(FunctionConfiguration, TextWriter)"/>, with parts replaced (tests, the local harness).</summary>
    internal static WebhookFunction Create(FunctionConfiguration configuration, TextWriter log, WebhookFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        var time = options.TimeProvider ?? TimeProvider.System;
        var jsonLog = new JsonLog(log, configuration.LogLevel, time);
        var appSecret = options.AppSecret ?? AccessTokenCacheFactory.CreateAppSecret(configuration, time, awsCredentials: null, transport: null);
        if (configuration.Transport == MessageTransportKind.Aws)
        {
            // AWS receives Meta's webhook for a linked account: nothing calls the URL, so missing Meta secrets are no fault.
            jsonLog.Write(LogLevel.Information, "aws transport: statuses and replies arrive through SNS from End User Messaging Social");
        }
        else
        {
            if (appSecret is null)
            {
                jsonLog.Write(LogLevel.Warning, "no app secret (FB_APP_SECRET in the secret or the environment): Meta's webhook calls will be refused");
            }

            if (configuration.WebhookVerifyToken is null)
            {
                jsonLog.Write(LogLevel.Warning, "WHATSAPP_WEBHOOK_VERIFY_TOKEN is not set: Meta's verification handshake will be refused");
            }
        }

        var ledger = options.Ledger ?? IdempotencyLedgerFactory.CreateStatusLedger(configuration, time);
        var handler = new WebhookHandler(
            ledger,
            appSecret,
            configuration.WebhookVerifyToken,
            new ReplyKeywords(configuration.OptOutKeywords, configuration.OptInKeywords),
            jsonLog,
            time,
            Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "WhatsAppChannel");
        return new WebhookFunction(handler, options.Ledger is null ? ledger as IDisposable : null);
    }

    /// <summary>Handles one event; the answer is the Function URL response JSON.</summary>
    /// <exception cref="LedgerUnavailableException">An SNS event could not be recorded (Lambda retries it).</exception>
    public async Task<Stream> HandleAsync(Stream input, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var response = await _handler.HandleAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        return new MemoryStream(response, writable: false);
    }

    public ValueTask DisposeAsync()
    {
        _ownedLedger?.Dispose();
        return ValueTask.CompletedTask;
    }
}
