using System.Text.Json;
using WhatsAppChannel.Events;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Throughput;

/// <summary>The budget and the sender number through the real handler, against a Graph stand-in on loopback.</summary>
public sealed class ThroughputSendTests
{
    private const string OtherNumber = "100000000000002";

    private static string DataWithSender(string? phoneNumberId) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["templateName"] = "hello_world",
            ["language"] = "en_US",
            ["phoneNumberId"] = phoneNumberId,
        });

    private static PinpointEventBuilder Endpoints(int count, string? data = null)
    {
        var pinpointEvent = new PinpointEventBuilder();
        if (data is not null)
        {
            pinpointEvent.WithData(data);
        }

        for (var i = 0; i < count; i++)
        {
            pinpointEvent.Add($"endpoint-{i:D3}", $"1415555{1000 + i}");
        }

        return pinpointEvent;
    }

    private static Task<ScriptedGraphServer> AcceptingServerAsync() =>
        ScriptedGraphServer.StartAsync(call => GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

    [Fact]
    public async Task A_listed_number_picked_in_data_sends_from_its_own_graph_path()
    {
        await using var server = await AcceptingServerAsync();
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_PHONE_NUMBER_IDS"] = OtherNumber;

        var run = await ChannelInvoker.RunAsync(settings, Endpoints(3, DataWithSender(OtherNumber)), TimeSpan.FromSeconds(20));

        Assert.All(run.EndpointIds, id => Assert.Equal("sent", run.Status(id)));
        Assert.All(server.Calls, call => Assert.EndsWith($"/{OtherNumber}/messages", call.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_and_log_lines_name_the_number_that_sent()
    {
        await using var server = await AcceptingServerAsync();
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_PHONE_NUMBER_IDS"] = OtherNumber;

        var run = await ChannelInvoker.RunAsync(settings, Endpoints(3, DataWithSender(OtherNumber)), TimeSpan.FromSeconds(20));

        var entries = run.LogLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var emf = Assert.Single(entries, e => e.TryGetProperty("_aws", out _));
        Assert.Equal(OtherNumber, emf.GetProperty("PhoneNumberId").GetString());
        Assert.Equal(3, emf.GetProperty("Sent").GetInt32());
        var lines = entries.Where(e => e.TryGetProperty("message", out var m) && m.GetString() is "invocation done" or "endpoint sent").ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines, e => Assert.Equal(OtherNumber, e.GetProperty("phoneNumberId").GetString()));
    }

    [Fact]
    public async Task Without_a_pick_the_default_number_sends()
    {
        await using var server = await AcceptingServerAsync();
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_PHONE_NUMBER_IDS"] = OtherNumber;

        await ChannelInvoker.RunAsync(settings, Endpoints(2, DataWithSender(null)), TimeSpan.FromSeconds(20));

        Assert.All(server.Calls, call => Assert.EndsWith($"/{ChannelInvoker.PhoneNumberId}/messages", call.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unlisted_number_fails_the_invocation_before_anything_is_sent()
    {
        await using var server = await AcceptingServerAsync();

        var error = await Assert.ThrowsAsync<InvalidEventException>(() =>
            ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), Endpoints(2, DataWithSender(OtherNumber)), TimeSpan.FromSeconds(20)));

        Assert.Contains(OtherNumber, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    /// <summary>One message a second and sends that may start for about two seconds: the budget says at once that the
    /// later sends cannot start in time. Every send that never started is deadline-exceeded, not an error.
    /// (Six sends, not three, so some are left over however late a busy machine starts the first.)</summary>
    [Fact]
    public async Task Sends_the_budget_cannot_start_before_the_deadline_are_deadline_exceeded()
    {
        await using var server = await AcceptingServerAsync();
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_THROUGHPUT_PER_SECOND"] = "1";
        var pinpointEvent = Endpoints(6);

        var run = await ChannelInvoker.RunAsync(settings, pinpointEvent, TimeSpan.FromSeconds(4));

        var sent = pinpointEvent.EndpointIds.Where(id => run.Status(id) == "sent").ToList();
        Assert.NotEmpty(sent);
        Assert.InRange(sent.Count, 1, 4);
        Assert.Equal(sent.Count, server.Calls.Count);
        Assert.All(pinpointEvent.EndpointIds.Except(sent), id =>
        {
            Assert.Equal("failed", run.Status(id));
            Assert.Equal("deadline-exceeded", run.Attribute(id, "whatsapp_reason"));
        });
    }

    [Fact]
    public async Task A_throughput_answer_is_retried_and_the_message_goes_out()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.Number == 1
            ? GraphReply.Error(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), Endpoints(1), TimeSpan.FromSeconds(20));

        Assert.Equal("sent", run.Status("endpoint-000"));
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task A_throughput_answer_halves_the_senders_share_and_says_so_for_that_number()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.Number == 1
            ? GraphReply.Error(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_PHONE_NUMBER_IDS"] = OtherNumber;

        var run = await ChannelInvoker.RunAsync(settings, Endpoints(1, DataWithSender(OtherNumber)), TimeSpan.FromSeconds(20));

        Assert.Equal("sent", run.Status("endpoint-000"));
        var shrink = Assert.Single(run.LogLines, line => line.Contains("\"throughput exceeded", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(shrink);
        Assert.Equal(OtherNumber, entry.RootElement.GetProperty("phoneNumberId").GetString());
        Assert.Equal("130429", entry.RootElement.GetProperty("code").GetString());
        Assert.Equal(0.5, entry.RootElement.GetProperty("share").GetDouble());
    }
}
