using System.Threading.RateLimiting;
using Polly;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Sending;

/// <summary>Sends the planned messages: bounded concurrency, a per-process rate limit, retries within the deadline,
/// the idempotency ledger around every send. Every planned send ends with exactly one result.</summary>
internal sealed class DeliveryEngine(
    IMessageTransport transport,
    IIdempotencyLedger ledger,
    RateLimiter rateLimiter,
    ResiliencePipeline<SendAttempt> retries,
    TimeSpan claimLifetime,
    JsonLog log,
    TimeProvider timeProvider)
{
    private static readonly TimeSpan MaxAttemptTime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClaimSafety = TimeSpan.FromSeconds(5);

    /// <param name="deadline">No send starts, and no retry waits, past this instant.</param>
    /// <param name="onResult">Told of each result as it is decided.</param>
    public async Task<EndpointResult[]> DeliverAsync(
        IReadOnlyList<PlannedSend> sends,
        int concurrency,
        DateTimeOffset deadline,
        Action<EndpointResult>? onResult,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var results = new EndpointResult[sends.Count];
        using var deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = deadline - timeProvider.GetUtcNow();
        deadlineSource.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);

        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, sends.Count), options, async (index, _) =>
        {
            var send = sends[index];
            EndpointResult result;
            try
            {
                result = await DeliverOneAsync(send, deadline, deadlineSource.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One send's unexpected fault must not fail the invocation and lose every other endpoint's result.
                log.Write(LogLevel.Error, "unexpected fault while sending", w =>
                {
                    w.WriteString("endpointId", send.EndpointId);
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

    private async Task<EndpointResult> DeliverOneAsync(PlannedSend send, DateTimeOffset deadline, CancellationToken deadlineToken)
    {
        var started = timeProvider.GetTimestamp();
        var progress = new SendProgress();
        EndpointResult Result(EndpointStatus status) => new(send.EndpointId, status)
        {
            MaskedAddress = send.MaskedAddress,
            Attempts = progress.Attempts,
            Duration = timeProvider.GetElapsedTime(started),
        };

        // The clock can pass the deadline before the token's timer fires: either one means "out of time".
        var sendToken = deadlineToken;
        bool PastDeadline() => sendToken.IsCancellationRequested || timeProvider.GetUtcNow() >= deadline;

        if (PastDeadline())
        {
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.DeadlineExceeded };
        }

        LedgerClaim claim;
        try
        {
            claim = await ledger.TryClaimAsync(send.IdempotencyKey, deadlineToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            log.Write(LogLevel.Warning, "ledger unavailable: not sending", w =>
            {
                w.WriteString("endpointId", send.EndpointId);
                w.WriteString("error", ex.Message);
            });
            return Result(EndpointStatus.Failed) with { Reason = FailureReasons.LedgerUnavailable };
        }
        catch (OperationCanceledException) when (PastDeadline())
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

        // Stop retrying well before the claim expires: after that a replay may take the key over and send too.
        var claimEnds = timeProvider.GetUtcNow() + claimLifetime - TimeSpan.FromTicks(Math.Min(ClaimSafety.Ticks, claimLifetime.Ticks / 10));
        deadline = claimEnds < deadline ? claimEnds : deadline;
        using var claimWindow = CancellationTokenSource.CreateLinkedTokenSource(deadlineToken);
        var untilDeadline = deadline - timeProvider.GetUtcNow();
        claimWindow.CancelAfter(untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero);
        sendToken = claimWindow.Token;

        string? failure = null;
        var context = ResilienceContextPool.Shared.Get(sendToken);
        context.Properties.Set(RetryPolicy.Deadline, deadline);
        try
        {
            await retries.ExecuteAsync(ctx => SendOnceAsync(send, deadline, progress, ctx.CancellationToken), context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (PastDeadline())
        {
            // The deadline cut a backoff or a request short: the last answer stands, and a cut request may have arrived.
            progress.MayHaveBeenDelivered |= progress.InFlight;
            failure = progress.Last is null ? FailureReasons.DeadlineExceeded : null;
        }
        catch (TokenUnavailableException)
        {
            failure = FailureReasons.TokenUnavailable;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var last = progress.Last;
        if (last is { Outcome: SendOutcome.Accepted })
        {
            await CompleteAsync(send.IdempotencyKey, last.MessageId!).ConfigureAwait(false);
            return Result(EndpointStatus.Sent) with { MessageId = last.MessageId };
        }

        // Give the claim back only when WhatsApp certainly has nothing; otherwise it expires, and a replay waits for that.
        if (!progress.MayHaveBeenDelivered)
        {
            await ReleaseAsync(send.IdempotencyKey).ConfigureAwait(false);
        }

        return Result(EndpointStatus.Failed) with
        {
            Reason = failure ?? last?.ErrorMessage ?? FailureReasons.DeadlineExceeded,
            ErrorCode = failure is null ? last?.ErrorCode : null,
        };
    }

    private async ValueTask<SendAttempt> SendOnceAsync(PlannedSend send, DateTimeOffset deadline, SendProgress progress, CancellationToken cancellationToken)
    {
        using var lease = await rateLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        var remaining = deadline - timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        progress.Attempts++;
        progress.InFlight = true;
        var attempt = await transport.SendAsync(send.Body, remaining < MaxAttemptTime ? remaining : MaxAttemptTime, cancellationToken).ConfigureAwait(false);
        progress.InFlight = false;
        progress.Last = attempt;
        progress.MayHaveBeenDelivered |= attempt.MayHaveBeenDelivered;
        return attempt;
    }

    /// <summary>What the attempts of one send have done so far.</summary>
    private sealed class SendProgress
    {
        public int Attempts { get; set; }
        public SendAttempt? Last { get; set; }
        public bool InFlight { get; set; }
        public bool MayHaveBeenDelivered { get; set; }
    }

    private async Task CompleteAsync(string key, string messageId)
    {
        try
        {
            // The message is out; recording it must not be cut short by the send deadline.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ledger.CompleteAsync(key, new LedgerOutcome(messageId), timeout.Token).ConfigureAwait(false);
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
