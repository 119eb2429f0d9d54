using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>The real handler against a Graph server that injects one kind of fault.</summary>
public sealed class DeliveryFaultTests
{
    private const string EndpointId = "endpoint-1";
    private const string Number = "8613800138000";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static PinpointEventBuilder OneEndpoint() => new PinpointEventBuilder().Add(EndpointId, Number);

    private static Task<ChannelRun> RunAsync(ScriptedGraphServer server, TimeSpan timeout, CountingTokenProvider? tokens = null, TimeSpan? pairRateLimitDelay = null) =>
        ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), OneEndpoint(), timeout, tokens, pairRateLimitDelay);

    [Theory]
    [InlineData(500, 1)]
    [InlineData(503, 2)]
    [InlineData(500, 131000)]
    [InlineData(503, 133004)]
    public async Task Server_errors_are_retried_until_the_message_is_sent(int httpStatus, int code)
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall <= 2
            ? GraphReply.Error(httpStatus, code, "An unexpected error has occurred. Please retry your request later.")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await RunAsync(server, Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal("3", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.Equal("wamid.test-3", run.Attribute(EndpointId, "whatsapp_message_id"));
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task A_429_without_metas_error_body_is_retried_because_nothing_was_accepted()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Raw(429, "<html>Too Many Requests</html>")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await RunAsync(server, Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal("2", run.Attribute(EndpointId, "whatsapp_attempts"));
    }

    [Fact]
    public async Task Throughput_limit_130429_is_retried_then_sent()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await RunAsync(server, Generous);

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal("2", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.Equal("wamid.test-2", run.Attribute(EndpointId, "whatsapp_message_id"));
    }

    [Theory]
    [InlineData(131026, "(#131026) Message Undeliverable")]
    [InlineData(132001, "(#132001) Template name does not exist in the translation")]
    [InlineData(131047, "(#131047) Re-engagement message")]
    [InlineData(100, "(#100) Invalid parameter")]
    [InlineData(368, "Temporarily blocked for policies violations")]
    public async Task Permanent_errors_fail_at_once_without_a_retry(int code, string message)
    {
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Error(400, code, message));

        var run = await RunAsync(server, Generous);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("1", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Contains(message, run.Attribute(EndpointId, "whatsapp_reason"), StringComparison.Ordinal);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_delivery_unknown_before_the_deadline()
    {
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Hang);
        var timeout = TimeSpan.FromSeconds(4);

        var run = await RunAsync(server, timeout);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Equal("timeout", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Single(server.Calls);
        Assert.True(run.Elapsed < timeout, $"answered after {run.Elapsed}, past the {timeout} deadline");
    }

    [Fact]
    public async Task A_slow_answer_is_given_up_on_and_never_resent_even_when_time_allows()
    {
        // The first answer comes far too late for the deadline: WhatsApp may have taken the message, so no retry.
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromSeconds(30))
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var timeout = TimeSpan.FromSeconds(3);

        var run = await RunAsync(server, timeout);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Single(server.Calls);
        Assert.True(run.Elapsed < timeout, $"answered after {run.Elapsed}, past the {timeout} deadline");
    }

    [Fact]
    public async Task Token_rejected_once_is_fetched_again_once_and_the_message_sent()
    {
        var tokens = new CountingTokenProvider("token-expired", "token-fresh");
        await using var server = await ScriptedGraphServer.StartAsync(call => call.Authorization == "Bearer token-expired"
            ? GraphReply.Error(401, 190, "Error validating access token: Session has expired.")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await RunAsync(server, Generous, tokens);

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal(1, tokens.Invalidations);
        Assert.Equal(2, tokens.Fetches);
        Assert.Equal(["Bearer token-expired", "Bearer token-fresh"], server.Calls.Select(c => c.Authorization));
    }

    [Fact]
    public async Task Token_rejected_by_many_concurrent_sends_is_fetched_again_only_once()
    {
        var tokens = new CountingTokenProvider("token-expired", "token-fresh");
        await using var server = await ScriptedGraphServer.StartAsync(call => call.Authorization == "Bearer token-expired"
            ? GraphReply.Error(401, 190, "Error validating access token: Session has expired.").After(TimeSpan.FromMilliseconds(50))
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var pinpointEvent = new PinpointEventBuilder();
        for (var i = 0; i < 10; i++)
        {
            pinpointEvent.Add($"endpoint-{i}", $"1415555{1000 + i}");
        }

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, Generous, tokens);

        Assert.All(pinpointEvent.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        Assert.Equal(2, tokens.Fetches);
    }

    [Fact]
    public async Task Token_rejected_twice_fails_the_endpoint_after_one_refresh()
    {
        var tokens = new CountingTokenProvider("token-expired", "token-still-bad", "token-never-asked-for");
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Error(401, 190, "Invalid OAuth access token."));

        var run = await RunAsync(server, Generous, tokens);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("190", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Equal(2, tokens.Fetches);
        Assert.Equal(2, server.Calls.Count);
        Assert.DoesNotContain(server.Calls, c => c.Authorization == "Bearer token-never-asked-for");
    }

    [Fact]
    public async Task Pair_rate_limit_with_little_time_left_fails_without_waiting()
    {
        await using var server = await ScriptedGraphServer.StartAsync(_ =>
            GraphReply.Error(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"));
        var timeout = TimeSpan.FromSeconds(3);

        var run = await RunAsync(server, timeout);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("131056", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Equal("1", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.Single(server.Calls);
        // The pair-rate wait is 6 s by default: not having waited it shows in the time taken.
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(2.5), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task Pair_rate_limit_with_time_to_spare_is_retried_after_the_pair_delay()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await RunAsync(server, Generous, pairRateLimitDelay: TimeSpan.FromMilliseconds(300));

        Assert.Equal("sent", run.Status(EndpointId));
        Assert.Equal("2", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.True(server.Calls.Count == 2);
    }

    [Fact]
    public async Task A_refused_connection_fails_the_endpoint_with_a_reason()
    {
        var settings = ChannelInvoker.Settings(new Uri($"http://127.0.0.1:{ScriptedGraphServer.ClosedPort()}"));
        // Refused connections are retried (8 times, about 5 s of backoff here); the deadline leaves the first attempt
        // time to start on a busy machine, else the answer would be deadline-exceeded.
        var timeout = TimeSpan.FromSeconds(10);

        var run = await ChannelInvoker.RunAsync(settings, OneEndpoint(), timeout);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("connection-failed", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.False(string.IsNullOrWhiteSpace(run.Attribute(EndpointId, "whatsapp_reason")));
        Assert.True(run.Elapsed < timeout, $"answered after {run.Elapsed}, past the {timeout} deadline");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"messaging_product":"whatsapp"}""")]
    public async Task An_unreadable_success_fails_and_is_not_retried_because_it_may_have_been_sent(string body)
    {
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Raw(200, body));

        var run = await RunAsync(server, Generous);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("1", run.Attribute(EndpointId, "whatsapp_attempts"));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Equal("invalid-response", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task A_success_cut_off_mid_body_fails_and_is_not_resent()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.ResetMidBody(200, GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).Body));

        var run = await RunAsync(server, Generous);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("delivery-unknown", run.Attribute(EndpointId, "whatsapp_reason"));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task Transient_errors_that_never_stop_end_failed_with_the_last_code_within_the_deadline()
    {
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Error(400, 130429, "(#130429) Rate limit hit"));
        var timeout = TimeSpan.FromSeconds(3);

        var run = await RunAsync(server, timeout);

        Assert.Equal("failed", run.Status(EndpointId));
        Assert.Equal("130429", run.Attribute(EndpointId, "whatsapp_error_code"));
        Assert.True(run.Attempts(EndpointId) > 1);
        Assert.Equal(server.Calls.Count, run.Attempts(EndpointId));
        Assert.True(run.Elapsed < timeout, $"answered after {run.Elapsed}, past the {timeout} deadline");
    }
}
