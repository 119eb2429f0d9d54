using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Tests.TestSupport;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>Faults outside the Graph API (ledger, token refresh, no time left, odd events) still give one result per endpoint.</summary>
public sealed class DeliveryRobustnessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static PinpointEventBuilder ThreeEndpoints() => new PinpointEventBuilder()
        .Add("a", "+14155551000")
        .Add("b", "+14155551001")
        .Add("c", "+14155551002");

    [Fact]
    public async Task An_unreachable_ledger_fails_only_its_endpoint_and_sends_nothing_for_it()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var ledger = new ScriptedLedger { ClaimFault = (1, new LedgerUnavailableException("ledger down (scripted)")) };

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), ThreeEndpoints(), Generous, ledger: ledger);

        Assert.Equal(["a", "b", "c"], run.EndpointIds);
        Assert.Single(run.EndpointIds, id => run.Status(id) == "failed" && run.Attribute(id, "whatsapp_reason") == "ledger-unavailable");
        Assert.Equal(2, run.EndpointIds.Count(id => run.Status(id) == "sent"));
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task An_unexpected_ledger_error_fails_only_its_endpoint()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var ledger = new ScriptedLedger { ClaimFault = (2, new InvalidOperationException("ledger bug (scripted)")) };

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), ThreeEndpoints(), Generous, ledger: ledger);

        Assert.Equal(["a", "b", "c"], run.EndpointIds);
        Assert.Single(run.EndpointIds, id => run.Status(id) == "failed" && run.Attribute(id, "whatsapp_reason") == "internal-error");
        Assert.Equal(2, run.EndpointIds.Count(id => run.Status(id) == "sent"));
        Assert.Single(run.LogLines, line => line.Contains("\"unexpected fault while sending\"", StringComparison.Ordinal) && line.Contains("InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ledger_that_cannot_record_the_outcome_still_reports_the_messages_sent()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var ledger = new ScriptedLedger { CompleteFault = new InvalidOperationException("ledger bug (scripted)") };

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), ThreeEndpoints(), Generous, ledger: ledger);

        Assert.All(run.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        Assert.Equal(3, server.Calls.Count);
        Assert.Equal(3, run.LogLines.Count(line => line.Contains("\"level\":\"Warning\"", StringComparison.Ordinal) && line.Contains("ledger did not record a sent message", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_token_refresh_that_fails_fails_the_endpoint_with_token_unavailable()
    {
        var tokens = new CountingTokenProvider("token-expired", null);
        await using var server = await ScriptedGraphServer.StartAsync(_ => GraphReply.Error(401, 190, "Error validating access token"));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), new PinpointEventBuilder().Add("a", "+14155551000"), Generous, tokens);

        Assert.Equal("failed", run.Status("a"));
        Assert.Equal("token-unavailable", run.Attribute("a", "whatsapp_reason"));
        Assert.Single(server.Calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public async Task With_no_time_left_every_endpoint_is_reported_and_nothing_is_sent(int timeoutMilliseconds)
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var pinpointEvent = ThreeEndpoints().Add("skipped", "+14155551003", optOut: "ALL");

        var run = await ChannelInvoker.RunAsync(
            ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, TimeSpan.FromMilliseconds(timeoutMilliseconds));

        Assert.Equal(pinpointEvent.EndpointIds, run.EndpointIds);
        Assert.All(["a", "b", "c"], id => Assert.Equal("deadline-exceeded", run.Attribute(id, "whatsapp_reason")));
        Assert.Equal("skipped", run.Status("skipped"));
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_repeated_endpoint_id_appears_once_in_the_response()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var json = new PinpointEventBuilder().Add("a", "+14155551000").Add("b", "+14155551001").ToJson();
        var endpoint = """{"ChannelType":"CUSTOM","Address":"+14155551009","EndpointStatus":"ACTIVE","OptOut":"NONE"}""";
        var repeated = json.Replace("\"Endpoints\":{", $"\"Endpoints\":{{\"a\":{endpoint},", StringComparison.Ordinal);

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), repeated, Generous);

        Assert.Equal(["a", "b"], run.EndpointIds);
    }

    [Fact]
    public async Task An_event_of_only_skipped_endpoints_sends_nothing_and_needs_no_graph_server()
    {
        var settings = ChannelInvoker.Settings(new Uri($"http://127.0.0.1:{ScriptedGraphServer.ClosedPort()}"));
        var pinpointEvent = new PinpointEventBuilder()
            .Add("opted-out", "+14155551000", optOut: "ALL")
            .Add("inactive", "+14155551001", status: "INACTIVE");

        var run = await ChannelInvoker.RunAsync(settings, pinpointEvent, Generous);

        Assert.Equal(["opted-out", "inactive"], run.EndpointIds);
        Assert.All(run.EndpointIds, id => Assert.Equal("skipped", run.Status(id)));
    }
}
