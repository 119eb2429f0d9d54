
namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The bootstrap process against a Graph stand-in that fails after the message may have gone out, answers
/// late or huge, or sits behind a proxy: every endpoint is answered, and each gets at most one accepted message
/// across an invocation and its replay.</summary>
public sealed class BootstrapDeliveryFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static (string EndpointId, string Address)[] Endpoints(int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"e{i}", CampaignEvents.Address(i)))];

    private static Task<BootstrapProcess> StartAsync(Uri graph, RuntimeApiStandIn api, params (string Name, string Value)[] extra)
    {
        var environment = BootstrapStartupTests.ValidFunction(graph.AbsoluteUri.TrimEnd('/'), api.Address);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return BootstrapExecutable.StartAsync(environment);
    }

    private static string? Reason(RuntimeApiPost post, string endpointId) =>
        post.Json.GetProperty(endpointId).GetProperty("EventAttributes").TryGetProperty("whatsapp_reason", out var reason) ? reason.GetString() : null;

    [Theory]
    [InlineData("gateway-504-html")]
    [InlineData("reset-after-sending")]
    public async Task A_send_whose_answer_is_lost_after_it_went_out_is_delivery_unknown_and_the_replay_sends_nothing(string fault)
    {
        await using var graph = await ScriptedGraphServer.StartAsync(call => call.RecipientCall > 1
            ? GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call))
            : fault == "reset-after-sending" ? GraphReply.ResetBeforeHeaders : GraphReply.Raw(504, "<html><h1>504 Gateway Time-out</h1></html>"));
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(graph.BaseUrl, api);
        var campaign = CampaignEvents.Create("lost-answer", Endpoints(3));

        var first = await api.InvokeAsync(campaign, BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);
        var replay = await api.InvokeAsync(campaign, BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        Assert.Equal(RuntimeApiPostKind.Response, first.Kind);
        Assert.All(Endpoints(3), e =>
        {
            Assert.Equal("failed", BootstrapInvocationTests.Status(first, e.EndpointId));
            Assert.Equal("delivery-unknown", Reason(first, e.EndpointId));
            Assert.Equal("skipped", BootstrapInvocationTests.Status(replay, e.EndpointId));
            Assert.Equal("in-progress", Reason(replay, e.EndpointId));
        });
        Assert.Equal(3, graph.Calls.Count);
        Assert.All(graph.Calls, call => Assert.Equal(1, call.RecipientCall));
    }

    [Fact]
    public async Task Sixteen_sends_answered_after_most_of_the_time_is_gone_are_reported_by_their_real_outcome_and_never_resent()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(call => call.To.EndsWith("99", StringComparison.Ordinal)
            ? GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call))
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromSeconds(1.5)));
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(graph.BaseUrl, api);
        // Warm up (JIT, connections) so the short deadline measures the sends, not start-up.
        await api.InvokeAsync(CampaignEvents.Create("warm-up", ("w", CampaignEvents.Address(99))), BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);
        var campaign = CampaignEvents.Create("slow", Endpoints(16));

        var first = await api.InvokeAsync(campaign, BootstrapInvocationTests.InSeconds(2)).WaitAsync(Bound);
        var replay = await api.InvokeAsync(campaign, BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        Assert.Equal(RuntimeApiPostKind.Response, first.Kind);
        Assert.All(Endpoints(16), e =>
        {
            if (BootstrapInvocationTests.Status(first, e.EndpointId) == "sent")
            {
                Assert.Equal("already-sent", Reason(replay, e.EndpointId));
            }
            else
            {
                Assert.Equal("delivery-unknown", Reason(first, e.EndpointId));
                Assert.Equal("in-progress", Reason(replay, e.EndpointId));
            }
        });
        Assert.All(graph.Calls, call => Assert.Equal(1, call.RecipientCall));
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(10)]
    public async Task A_deadline_already_past_or_10_ms_away_is_answered_with_every_endpoint_not_an_error(int milliseconds)
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(graph.BaseUrl, api);
        await api.InvokeAsync(CampaignEvents.Create("warm-up", ("w", CampaignEvents.Address(99))), BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        var post = await api.InvokeAsync(CampaignEvents.Create("late", Endpoints(16)), DateTimeOffset.UtcNow.AddMilliseconds(milliseconds)).WaitAsync(Bound);

        Assert.True(post.Kind == RuntimeApiPostKind.Response, post.Body);
        Assert.All(Endpoints(16), e => Assert.True(
            BootstrapInvocationTests.Status(post, e.EndpointId) == "sent" || Reason(post, e.EndpointId) is "deadline-exceeded" or "delivery-unknown",
            $"{e.EndpointId}: {BootstrapInvocationTests.Status(post, e.EndpointId)} {Reason(post, e.EndpointId)}"));
        Assert.All(graph.Calls, call => Assert.Equal(1, call.RecipientCall));
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task Sixteen_concurrent_50_MB_answers_in_a_256_MB_function_are_all_sent()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).Padded(50L * 1024 * 1024, first: false));
        await using var api = await RuntimeApiStandIn.StartAsync();
        // The bootstrap caps its heap at 75% of the function's memory, as in Lambda: 192 MB here.
        await using var bootstrap = await StartAsync(graph.BaseUrl, api, ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"));

        var post = await api.InvokeAsync(CampaignEvents.Create("huge-answers", Endpoints(16)), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);

        Assert.True(post.Kind == RuntimeApiPostKind.Response, post.Body);
        Assert.All(Endpoints(16), e => Assert.Equal("sent", BootstrapInvocationTests.Status(post, e.EndpointId)));
        Assert.Equal(16, graph.Calls.Count);
    }

    [Fact]
    public async Task Plain_http_to_a_loopback_graph_never_goes_through_the_proxy_variables()
    {
        await using var proxy = new RecordingProxy();
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        await using var api = await RuntimeApiStandIn.StartAsync();
        var via = proxy.Address.AbsoluteUri;
        await using var bootstrap = await StartAsync(graph.BaseUrl, api, ("HTTP_PROXY", via), ("http_proxy", via), ("HTTPS_PROXY", via), ("ALL_PROXY", via));

        var post = await api.InvokeAsync(CampaignEvents.Create("proxied", Endpoints(1)), BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        Assert.Equal("sent", BootstrapInvocationTests.Status(post, "e0"));
        Assert.Single(graph.Calls);
        Assert.Empty(proxy.Seen);
    }

    [Fact]
    public async Task Https_goes_through_the_proxy_only_as_a_tunnel_and_never_shows_it_the_token()
    {
        await using var proxy = new RecordingProxy();
        await using var api = await RuntimeApiStandIn.StartAsync();
        var graph = new Uri($"https://127.0.0.1:{ScriptedGraphServer.ClosedPort()}");
        await using var bootstrap = await StartAsync(graph, api, ("HTTPS_PROXY", proxy.Address.AbsoluteUri));

        // The refused tunnel is retried until the last start; the deadline leaves a cold process time for its first attempt.
        var post = await api.InvokeAsync(CampaignEvents.Create("tunnelled", Endpoints(1)), BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        Assert.Equal("failed", BootstrapInvocationTests.Status(post, "e0"));
        Assert.NotEmpty(proxy.Seen);
        Assert.All(proxy.Seen, head =>
        {
            Assert.StartsWith($"CONNECT 127.0.0.1:{graph.Port} ", head, StringComparison.Ordinal);
            Assert.DoesNotContain("sandbox-token", head, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer", head, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task No_proxy_naming_the_graph_host_keeps_https_off_the_proxy()
    {
        await using var proxy = new RecordingProxy();
        await using var api = await RuntimeApiStandIn.StartAsync();
        var graph = new Uri($"https://127.0.0.1:{ScriptedGraphServer.ClosedPort()}");
        await using var bootstrap = await StartAsync(graph, api, ("HTTPS_PROXY", proxy.Address.AbsoluteUri), ("NO_PROXY", "127.0.0.1"));

        // As above: the first attempt, not start-up, must decide the answer.
        var post = await api.InvokeAsync(CampaignEvents.Create("not-tunnelled", Endpoints(1)), BootstrapInvocationTests.InSeconds(20)).WaitAsync(Bound);

        Assert.Equal("failed", BootstrapInvocationTests.Status(post, "e0"));
        Assert.Equal("connection-failed", post.Json.GetProperty("e0").GetProperty("EventAttributes").GetProperty("whatsapp_error_code").GetString());
        Assert.Empty(proxy.Seen);
    }
}
