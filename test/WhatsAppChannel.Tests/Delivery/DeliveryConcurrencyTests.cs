using System.Globalization;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>SEND_CONCURRENCY bounds the requests in flight; SEND_RATE_PER_SECOND spaces them out.</summary>
public sealed class DeliveryConcurrencyTests
{
    private static PinpointEventBuilder Endpoints(int count)
    {
        var pinpointEvent = new PinpointEventBuilder();
        for (var i = 0; i < count; i++)
        {
            pinpointEvent.Add($"endpoint-{i:D3}", $"1415555{1000 + i}");
        }

        return pinpointEvent;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(4)]
    public async Task Requests_in_flight_never_exceed_SEND_CONCURRENCY(int concurrency)
    {
        await using var server = await ScriptedGraphServer.StartAsync(call =>
            GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromMilliseconds(100)));
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["SEND_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture);
        var pinpointEvent = Endpoints(50);

        var run = await ChannelInvoker.RunAsync(settings, pinpointEvent, TimeSpan.FromSeconds(20));

        Assert.All(pinpointEvent.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        Assert.Equal(50, server.Calls.Count);
        Assert.InRange(server.MaxInFlight, 2, concurrency);
    }

    [Fact]
    public async Task Requests_in_flight_stay_bounded_while_sends_fail_and_retry()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Error(503, 2, "Service temporarily unavailable").After(TimeSpan.FromMilliseconds(50))
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)).After(TimeSpan.FromMilliseconds(50)));
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["SEND_CONCURRENCY"] = "5";
        var pinpointEvent = Endpoints(30);

        var run = await ChannelInvoker.RunAsync(settings, pinpointEvent, TimeSpan.FromSeconds(20));

        Assert.All(pinpointEvent.EndpointIds, id => Assert.Equal("2", run.Attribute(id, "whatsapp_attempts")));
        Assert.InRange(server.MaxInFlight, 2, 5);
    }

    [Fact]
    public async Task SEND_RATE_PER_SECOND_spaces_the_sends_out()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["SEND_RATE_PER_SECOND"] = "20";
        var pinpointEvent = Endpoints(60);

        var run = await ChannelInvoker.RunAsync(settings, pinpointEvent, TimeSpan.FromSeconds(20));

        Assert.All(pinpointEvent.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        // At most 20 in any one-second window: 60 sends need the third window, 2 s after the first.
        // Only a lower bound holds on a busy machine.
        Assert.True(run.Elapsed >= TimeSpan.FromSeconds(1.9), $"60 sends at 20/s took only {run.Elapsed}");
    }
}
