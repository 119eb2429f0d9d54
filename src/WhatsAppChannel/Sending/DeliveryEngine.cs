using System.Threading.RateLimiting;
using Polly;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Sending;

/// <summary>Sends the planned messages: bounded concurrency, a per-process rate limit, retries within the deadline,
/// the idempotency ledger around every send. Every planned send ends with exactly one result, and a message that
/// may have reached WhatsApp is never sent again.</summary>
internal sealed class DeliveryEngine(
    IMessageTransport transport,
    IIdempotencyLedger ledger,
    RateLimiter rateLimiter,
    ThroughputBudget budget,
    ResiliencePipeline<SendAttempt> retries,
    TimeSpan claimLifetime,
    JsonLog log,
    TimeProvider timeProvider)
{
    /// <param name="phoneNumberId">The business number the messages go out from.</param>
    /// <param name="deadline">When sends must stop starting, and when requests in flight are given up.</param>
    /// <param name="onResult">Told of each result as it is decided.</param>
    /// <returns>One result per planned send, whatever the deadline or a fault did; it never throws for them.</returns>
    public async Task<EndpointResult[]> DeliverAsync(
        IReadOnlyList<PlannedSend> sends,
        string phoneNumberId,
        int concurrency,
        SendDeadline deadline,
        Action<EndpointResult>? onResult)
    {
        ArgumentNullException.ThrowIfNull(sends);
        ArgumentNullException.ThrowIfNull(deadline);
        var results = new EndpointResult[sends.Count];
        var credentialsFailure = new CredentialsFailureNotice(log);

        // Not cancellable on purpose: a send that can no longer start still reports deadline-exceeded.
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(Enumerable.Range(0, sends.Count), options, async (index, _) =>
        {
            var send = sends[index];
            EndpointResult result;
            try
            {
                result = await DeliverOneAsync(send, phoneNumberId, deadline, credentialsFailure).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One send's unexpected fault must not fail the invocation and lose every other endpoint's result.
                log.Write(LogLevel.Error, "unexpected fault while sending", w =>
                {
                    w.WriteString("endpointId", PhoneMask.MaskNumbersIn(send.EndpointId));
                    w.WriteString("errorType", ex.GetType().Name);
                    w.WriteString("error", ex.Message);
                });
                result = new EndpointResult(send.EndpointId, EndpointStatus.Failed) { MaskedAddress = send.MaskedAddress, Reason = FailureReasons.InternalError };
            }

            results[index] = result;
            try
            {
                onResult?.Invoke(result);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failing log writer or progress display must not lose the batch's results after the sends.
            }
        }).ConfigureAwait(false);

        return results;
    }

    private async Task<EndpointResult> DeliverOneAsync(PlannedSend send, string phoneNumberId, SendDeadline deadline, CredentialsFailureNotice credentialsFailure)
    {
        var started = timeProvider.GetTimestamp();
        var progress = new SendProgress();
        EndpointResult Result(EndpointStatus status) => new(send.EndpointId, status)
        {
            MaskedAddress = send.MaskedAddress,
            Attempts = progress.Attempts,
            Duration = timeProvider.GetElapsedTime(started),
        };

        if (!deadline.CanStart)
        {
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.DeadlineExceeded };
        }

        LedgerClaim claim;
        try
        {
            claim = await ledger.TryClaimAsync(send.IdempotencyKey, deadline.StartToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            log.Write(LogLevel.Warning, "ledger unavailable: not sending", w =>
            {
                w.WriteString("endpointId", PhoneMask.MaskNumbersIn(send.EndpointId));
                w.WriteString("error", ex.Message);
            });
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.LedgerUnavailable };
        }
        catch (OperationCanceledException)
        {
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.DeadlineExceeded };
        }

        switch (claim.Status)
        {
            case LedgerClaimStatus.AlreadySent:
                return Result(EndpointStatus.Skipped) with { Reason = SkipReasons.AlreadySent, MessageId = claim.MessageId };
            case LedgerClaimStatus.InProgress:
                return Result(EndpointStatus.Skipped) with { Reason = SkipReasons.InProgress };
        }

        string? failure = null;
        using var window = deadline.WithinClaim(claimLifetime);
        var context = ResilienceContextPool.Shared.Get(window.StartToken);
        context.Properties.Set(RetryPolicy.Deadline, window);
        try
        {
            await retries.ExecuteAsync(ctx => SendOnceAsync(send, phoneNumberId, window, progress, ctx.CancellationToken), context).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The deadline ended a wait before a request (token, rate limit, backoff): the last answer stands.
        }
        catch (TokenUnavailableException ex)
        {
            credentialsFailure.Tell(ex);
            failure = FailureReasons.TokenUnavailable;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var last = progress.Last;
        if (last is { Outcome: SendOutcome.Accepted })
        {
            await CompleteAsync(send, last.MessageId!).ConfigureAwait(false);
            return Result(EndpointStatus.Sent) with { MessageId = last.MessageId };
        }

        if (last is { ErrorClass: ErrorClass.DeliveryUnknown })
        {
            // WhatsApp may have the message: keep the claim, so a replay does not send it again; the status webhook,
            // which carries the idempotency key back, can still resolve it to sent.
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.DeliveryUnknown, ErrorCode = last.ErrorCode };
        }

        // WhatsApp certainly has nothing: give the claim back so a later run may send.
        await ReleaseAsync(send.IdempotencyKey).ConfigureAwait(false);
        return Result(EndpointStatus.Failed) with
        {
            Reason = failure ?? FailureReasons.ForMetaCode(last?.ErrorCode) ?? last?.ErrorMessage ?? FailureReasons.DeadlineExceeded,
            ErrorCode = failure is null ? last?.ErrorCode : null,
        };
    }

    private async ValueTask<SendAttempt> SendOnceAsync(PlannedSend send, string phoneNumberId, SendDeadline deadline, SendProgress progress, CancellationToken cancellationToken)
    {
        using var lease = await rateLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);

        // The number's budget (shared by all instances when there is a table) says at once when no permit comes before
        // the last start: the attempt never starts, like any other wait the deadline ends.
        if (!await budget.WaitAsync(phoneNumberId, deadline.StartBy, cancellationToken).ConfigureAwait(false) || !deadline.CanStart)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        progress.Attempts++;
        using var limit = deadline.LimitAttempt();
        var attempt = send.ViaMarketingMessages
            ? await transport.SendMarketingAsync(phoneNumberId, send.Body, limit.Token).ConfigureAwait(false)
            : await transport.SendAsync(phoneNumberId, send.Body, limit.Token).ConfigureAwait(false);
        if (attempt.ThroughputExceeded && budget.Throttled(phoneNumberId) is { } share)
        {
            log.Write(LogLevel.Warning, "throughput exceeded: this instance's share of the number shrinks", w =>
            {
                w.WriteString("phoneNumberId", phoneNumberId);
                w.WriteString("code", attempt.ErrorCode);
                w.WriteNumber("share", Math.Round(share, 3));
            });
        }

        progress.Last = attempt;
        return attempt;
    }

    /// <summary>Says once per batch why credentials could not be had (the endpoints' reason only names the failure);
    /// every send after the first fails the same way.</summary>
    private sealed class CredentialsFailureNotice(JsonLog log)
    {
        private int _told;

        public void Tell(TokenUnavailableException ex)
        {
            if (Interlocked.Exchange(ref _told, 1) == 0)
            {
                log.Write(LogLevel.Error, "credentials unavailable", w => w.WriteString("error", ex.Message));
            }
        }
    }

    /// <summary>What the attempts of one send have done so far.</summary>
    private sealed class SendProgress
    {
        public int Attempts { get; set; }
        public SendAttempt? Last { get; set; }
    }

    private async Task CompleteAsync(PlannedSend send, string messageId)
    {
        try
        {
            // The message is out; recording it must not be cut short by the send deadline.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var outcome = new LedgerOutcome(messageId) { CampaignId = send.CampaignId, RecipientHash = NumberHash.Of(send.To) };
            await ledger.CompleteAsync(send.IdempotencyKey, outcome, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The message is out whatever the ledger says: report it sent. The claim stays and expires; a replay
            // before then reports in-progress, one after it resends: say so, as it is the one way to send twice.
            log.Write(LogLevel.Warning, "the ledger did not record a sent message; a replay after the claim expires would resend it", w =>
            {
                w.WriteString("messageId", messageId);
                w.WriteString("errorType", ex.GetType().Name);
            });
        }
    }

    private async Task ReleaseAsync(string key)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ledger.ReleaseAsync(key, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The claim expires on its own.
        }
    }
}
