using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Webhook;

/// <summary>Meta's webhook behind a Function URL, and AWS End User Messaging Social events through SNS: records delivery
/// statuses and opt-outs in the ledger. A signed Meta call is answered 200 whenever it was understood, since Meta
/// retries any other answer for days; 401 and 400 record nothing.</summary>
internal sealed class WebhookHandler(
    IDeliveryStatusLedger ledger,
    IAccessTokenCache? appSecret,
    string? verifyToken,
    ReplyKeywords keywords,
    JsonLog log,
    TimeProvider time,
    string functionName)
{
    // Ledger writes in flight for one payload; Meta batches up to 1,000 statuses in one call.
    private const int Concurrency = 16;

    /// <summary>Handles one Lambda event (a Function URL request or an SNS event) and returns the response JSON.</summary>
    /// <exception cref="LedgerUnavailableException">An SNS event could not be recorded; Lambda retries it.</exception>
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var response = await AnswerAsync(payload, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(response, WebhookJsonContext.Default.FunctionUrlResponse);
    }

    private async Task<FunctionUrlResponse> AnswerAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        FunctionUrlRequest? request;
        SnsEvent? sns;
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return FunctionUrlResponse.Error(400, "unknown event");
            }

            sns = document.RootElement.TryGetProperty("Records", out _) ? document.RootElement.Deserialize(WebhookJsonContext.Default.SnsEvent) : null;
            request = sns is null ? document.RootElement.Deserialize(WebhookJsonContext.Default.FunctionUrlRequest) : null;
        }
        catch (JsonException)
        {
            return FunctionUrlResponse.Error(400, "unknown event");
        }

        if (sns is not null)
        {
            await HandleSnsAsync(sns, cancellationToken).ConfigureAwait(false);
            return FunctionUrlResponse.Ok;
        }

        return request?.RequestContext?.Http?.Method?.ToUpperInvariant() switch
        {
            "GET" => Verify(request),
            "POST" => await HandleMetaAsync(request, cancellationToken).ConfigureAwait(false),
            _ => FunctionUrlResponse.Error(405, "method not allowed"),
        };
    }

    /// <summary>Meta's subscription handshake: echo the challenge when the verify token matches.</summary>
    private FunctionUrlResponse Verify(FunctionUrlRequest request)
    {
        var query = request.QueryStringParameters ?? [];
        var mode = query.GetValueOrDefault("hub.mode");
        var token = query.GetValueOrDefault("hub.verify_token");
        var challenge = query.GetValueOrDefault("hub.challenge");
        if (verifyToken is null || mode != "subscribe" || token is null || string.IsNullOrEmpty(challenge)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(verifyToken)))
        {
            log.Write(LogLevel.Warning, "webhook verification refused");
            return FunctionUrlResponse.Error(403, "forbidden");
        }

        log.Write(LogLevel.Information, "webhook verified");
        return FunctionUrlResponse.Challenge(challenge);
    }

    private async Task<FunctionUrlResponse> HandleMetaAsync(FunctionUrlRequest request, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = request.IsBase64Encoded ? Convert.FromBase64String(request.Body ?? "") : Encoding.UTF8.GetBytes(request.Body ?? "");
        }
        catch (FormatException)
        {
            return FunctionUrlResponse.Error(400, "body is not base64");
        }

        if (appSecret is null)
        {
            log.Write(LogLevel.Error, "webhook refused: no app secret configured (FB_APP_SECRET in the secret or the environment)");
            return FunctionUrlResponse.Error(401, "invalid signature");
        }

        string secret;
        try
        {
            secret = await appSecret.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TokenUnavailableException ex)
        {
            // Meta retries a 5xx, so the notification is not lost while the secret cannot be read.
            log.Write(LogLevel.Error, "webhook app secret unavailable", w => w.WriteString("error", ex.Message));
            return FunctionUrlResponse.Error(500, "app secret unavailable");
        }

        var headers = request.Headers ?? [];
        if (!WebhookSignature.IsValid(headers.GetValueOrDefault(WebhookSignature.HeaderName), body, secret))
        {
            log.Write(LogLevel.Warning, "webhook refused: missing or wrong signature", w =>
                w.WriteBoolean("signaturePresent", headers.ContainsKey(WebhookSignature.HeaderName)));
            return FunctionUrlResponse.Error(401, "invalid signature");
        }

        MetaNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.MetaNotification);
        }
        catch (JsonException)
        {
            log.Write(LogLevel.Warning, "webhook body is not a JSON notification");
            return FunctionUrlResponse.Error(400, "body is not a JSON notification");
        }

        try
        {
            await RecordAsync(notification?.Entry ?? [], cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            // Recording is idempotent, so Meta's retry of the whole payload is safe.
            log.Write(LogLevel.Error, "ledger unavailable: webhook not recorded", w => w.WriteString("error", ex.Message));
            return FunctionUrlResponse.Error(503, "ledger unavailable");
        }

        return FunctionUrlResponse.Ok;
    }

    private async Task HandleSnsAsync(SnsEvent sns, CancellationToken cancellationToken)
    {
        var entries = new List<MetaEntry?>();
        foreach (var message in (sns.Records ?? []).Select(r => r?.Sns?.Message))
        {
            try
            {
                var wrapper = message is null ? null : JsonSerializer.Deserialize(message, WebhookJsonContext.Default.SocialMessagingEvent);
                if (wrapper?.WhatsAppWebhookEntry is { } entry)
                {
                    entries.Add(JsonSerializer.Deserialize(entry, WebhookJsonContext.Default.MetaEntry));
                }
            }
            catch (JsonException)
            {
                // A malformed event is dropped, not retried: it would fail the same way every time.
                log.Write(LogLevel.Warning, "SNS message is not an End User Messaging Social event; skipped");
            }
        }

        await RecordAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(IReadOnlyList<MetaEntry?> entries, CancellationToken cancellationToken)
    {
        var metrics = new DeliveryMetrics();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(NotificationReader.Statuses(entries), options, async (notice, ct) =>
        {
            var moved = await ledger.RecordStatusAsync(notice.Update, ct).ConfigureAwait(false);
            if (moved)
            {
                Count(metrics, notice);
            }

            log.Write(LogLevel.Information, "delivery status", w =>
            {
                w.WriteString("messageId", notice.Update.MessageId);
                w.WriteString("status", notice.Update.State.ToString().ToLowerInvariant());
                w.WriteString("recipient", PhoneMask.Mask(notice.Recipient));
                if (notice.Update.ErrorCode is { } code)
                {
                    w.WriteString("code", code);
                }

                w.WriteBoolean("recorded", moved);
            });
        }).ConfigureAwait(false);

        foreach (var reply in NotificationReader.Replies(entries))
        {
            if (keywords.Classify(NotificationReader.TextsOf(reply)) is not { } optOut)
            {
                continue;
            }

            await ledger.SetOptOutAsync(NumberHash.Of(reply.From!), optOut, cancellationToken).ConfigureAwait(false);
            log.Write(LogLevel.Information, optOut ? "opt-out recorded" : "opt-out lifted", w =>
            {
                w.WriteString("from", PhoneMask.Mask(reply.From));
                w.WriteString("type", reply.Type);
            });
        }

        foreach (var document in metrics.ToEmf(time.GetUtcNow(), functionName))
        {
            log.WriteLine(document);
        }
    }

    private static void Count(DeliveryMetrics metrics, StatusNotice notice)
    {
        switch (notice.Update.State)
        {
            case DeliveryState.Delivered:
                metrics.CountDelivered(notice.PhoneNumberId);
                break;
            case DeliveryState.Read:
                metrics.CountRead(notice.PhoneNumberId);
                break;
            case DeliveryState.Failed:
                metrics.CountFailed(notice.PhoneNumberId, notice.Update.ErrorCode);
                break;
        }
    }
}
