using System.Globalization;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>Answers that may follow a message WhatsApp accepted are never resent, by this run or by a replay of the
/// event: at most one accepted message per endpoint. Only answers that prove nothing was accepted are retried.</summary>
public sealed class UncertainDeliveryTests
{
    private const string EndpointId = "endpoint-1";
    private const string Number = "8613800138000";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static PinpointEventBuilder OneEndpoint() => new PinpointEventBuilder().Add(EndpointId, Number);

    private static InMemoryLedger NewLedger() => new(TimeSpan.FromMinutes(2), TimeSpan.FromDays(7), TimeProvider.System);

    private static PinpointEventBuilder Endpoints(int count)
    {
        var pinpointEvent = new PinpointEventBuilder();
        for (var i = 0; i < count; i++)
        {
            pinpointEvent.Add($"endpoint-{i}", $"1415555{1000 + i}");
        }

        return pinpointEvent;
    }

    /// <summary>What a gateway in front of WhatsApp, or the connection, can do after the request went out.</summary>
    public static TheoryData<string> UncertainAnswers() =>
    [
        "gateway-504-html",
        "gateway-502-html",
        "gateway-500-empty",
        "reset-after-sending",
        "server-error-cut-mid-body",
        "success-cut-mid-body",
        "success-without-id",
        "answer-after-the-deadline",
    ];

    private static GraphReply Uncertain(string kind, GraphCall call) => kind switch
    {
        "gateway-504-html" => GraphReply.Raw(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>"),
        "gateway-502-html" => GraphReply.Raw(502, "<html>Bad Gateway</html>"),
        "gateway-500-empty" => GraphReply.Raw(500, ""),
        "reset-after-sending" => GraphReply.ResetBeforeHeaders,
        "server-error-cut-mid-body" => GraphReply.ResetMidBody(500, GraphReply.Error(500, 1, "An unknown error occurred").Body),
        "success-cut-mid-body" => GraphReply.ResetMidBody(200, GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).Body),
        "success-without-id" => GraphReply.Raw(200, """{"messaging_product":"whatsapp"}"""),
        "answer-after-the-deadline" => GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromSeconds(30)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Theory]
    [MemberData(nameof(UncertainAnswers))]
    public async Task An_answer_that_may_follow_an_accepted_message_is_delivery_unknown_and_neither_retried_nor_replayed(string kind)
    {
        // Every first request of a recipient may have been accepted; any later one would be a second message.
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? Uncertain(kind, call)
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var ledger = NewLedger();
        var timeout = kind == "answer-after-the-deadline" ? TimeSpan.FromSeconds(3) : Generous;

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), timeout, ledger: ledger);
        var replay = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous, ledger: ledger, requestId: "req-2");

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.False(string.IsNullOrEmpty(run.Attribute(EndpointId, "whatsapp_error_code")));
        Assert.Equal(1, run.Attempts(EndpointId));
        Assert.Equal("skipped", replay.Status(EndpointId));
        Assert.Equal("in-progress", replay.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Single(server.Calls);
    }

    [Theory]
    [InlineData(500, 1)]
    [InlineData(503, 2)]
    [InlineData(400, 130429)]
    [InlineData(429, 4)]
    public async Task Metas_own_error_body_with_a_transient_code_proves_nothing_was_accepted_and_is_retried(int status, int code)
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(status, code, "Temporarily unavailable")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_waited_before_the_retry()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(429, 130429, "(#130429) Rate limit hit") with { RetryAfter = "1" }
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        var calls = server.Calls;
        Assert.Equal(2, calls.Count);
        // The retry base delay here is 20 ms: only Retry-After makes the second request wait a second.
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"retried after {calls[1].ReceivedAt - calls[0].ReceivedAt}");
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_waited_before_the_retry()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(429, 130429, "(#130429) Rate limit hit") with { RetryAfter = DateTimeOffset.UtcNow.AddSeconds(3).ToString("R", CultureInfo.InvariantCulture) }
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        var calls = server.Calls;
        Assert.Equal(2, calls.Count);
        // An HTTP-date has whole seconds: three seconds ahead is at least two from the answer.
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromSeconds(1.9), $"retried after {calls[1].ReceivedAt - calls[0].ReceivedAt}");
    }

    [Theory]
    [InlineData("120")]
    [InlineData("date")]
    public async Task Retry_after_beyond_the_deadline_ends_the_send_without_a_retry(string retryAfter)
    {
        var value = retryAfter == "date" ? DateTimeOffset.UtcNow.AddMinutes(5).ToString("R", CultureInfo.InvariantCulture) : retryAfter;
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Error(429, 130429, "(#130429) Rate limit hit") with { RetryAfter = value });

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("130429", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task An_answer_that_arrives_after_the_last_moment_to_start_a_send_is_recorded_as_sent()
    {
        // 4 s to the deadline: sends may start until 2 s, and an answer is awaited until 3 s.
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromSeconds(2.4)));
        var ledger = NewLedger();

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), TimeSpan.FromSeconds(4), ledger: ledger);
        var replay = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous, ledger: ledger, requestId: "req-2");

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal("wamid.test-1", run.Attribute(EndpointId, "whatsapp_message_id"));
        Assert.Equal("skipped", replay.Status(EndpointId));
        Assert.Equal("already-sent", replay.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Equal("wamid.test-1", replay.Attribute(EndpointId, "whatsapp_message_id"));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task Slow_sends_close_to_the_deadline_are_reported_sent_or_delivery_unknown_never_deadline_exceeded()
    {
        // WhatsApp accepts each message as it arrives, and answers 1.5 s later; the invocation has 2 s.
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromSeconds(1.5)));
        var pinpointEvent = Endpoints(16);
        var ledger = NewLedger();

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, TimeSpan.FromSeconds(2), ledger: ledger);
        var replay = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, Generous, ledger: ledger, requestId: "req-2");

        Assert.All(pinpointEvent.EndpointIds, id =>
        {
            if (run.Status(id) == "sent")
            {
                Assert.Equal("already-sent", replay.Attribute(id, "whatsapp_reason"));
                Assert.Equal(run.Attribute(id, "whatsapp_message_id"), replay.Attribute(id, "whatsapp_message_id"));
            }
            else
            {
                Assert.Equal("delivery-unknown", run.Attribute(id, "whatsapp_reason"));
                Assert.Equal("in-progress", replay.Attribute(id, "whatsapp_reason"));
            }
        });
        Assert.Equal(16, server.Calls.Count);
        Assert.All(server.Calls, call => Assert.Equal(1, call.RecipientCall));
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(0)]
    [InlineData(10)]
    public async Task A_deadline_already_past_or_milliseconds_away_is_answered_with_every_endpoint(int milliseconds)
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var pinpointEvent = Endpoints(16);
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        // The host cancels at the deadline, as the Lambda bootstrap does.
        using var host = new CancellationTokenSource();
        host.CancelAfter(milliseconds > 0 ? timeout : TimeSpan.Zero);

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, timeout, hostCancellation: host.Token);

        Assert.Equal(pinpointEvent.EndpointIds.Order(), run.EndpointIds.Order());
        Assert.All(pinpointEvent.EndpointIds, id =>
            Assert.True(
                run.Status(id) == "sent" || run.Attribute(id, "whatsapp_reason") is "deadline-exceeded" or "delivery-unknown",
                $"{id}: {run.Status(id)} {run.Attribute(id, "whatsapp_reason")}"));
        Assert.All(server.Calls, call => Assert.Equal(1, call.RecipientCall));
        if (milliseconds <= 0)
        {
            Assert.Empty(server.Calls);
        }
    }

    [Fact]
    public async Task Sixteen_concurrent_50_MB_answers_are_read_only_as_far_as_the_message_id_and_all_sent()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).Padded(50L * 1024 * 1024, first: false));
        var pinpointEvent = Endpoints(16);

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, TimeSpan.FromSeconds(20));

        Assert.All(pinpointEvent.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        Assert.Equal(16, server.Calls.Count);
        Assert.Equal(
            server.Calls.Select(ScriptedGraphServer.MessageId).Order(),
            pinpointEvent.EndpointIds.Select(id => run.Attribute(id, "whatsapp_message_id")!).Order());
    }

    [Fact]
    public async Task An_oversized_success_whose_id_lies_past_the_read_limit_is_delivery_unknown_and_not_resent()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).Padded(5L * 1024 * 1024, first: true));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), Generous);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Single(server.Calls);
    }
}
