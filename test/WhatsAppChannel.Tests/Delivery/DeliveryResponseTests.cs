using System.Text.Json;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>The response journeys read: every endpoint exactly once, whatever happened, values strings.</summary>
public sealed class DeliveryResponseTests
{
    private const string Status = "whatsapp_status";
    private const string MessageId = "whatsapp_message_id";
    private const string Attempts = "whatsapp_attempts";
    private const string Reason = "whatsapp_reason";
    private const string ErrorCode = "whatsapp_error_code";

    /// <summary>Endpoints planning skips, with the reason each must get.</summary>
    private static readonly Dictionary<string, string> ExpectedSkips = new(StringComparer.Ordinal)
    {
        ["opted-out"] = "opted-out",
        ["inactive"] = "inactive",
        ["not-a-number"] = "invalid-address",
        ["e-mail"] = "invalid-address",
        ["duplicate"] = "duplicate-address",
        ["no-first-name"] = "missing-value:User.UserAttributes.FirstName",
    };

    public static TheoryData<string> FaultMixes => new() { "healthy", "flaky", "permanent", "mixed", "hanging", "down" };

    /// <summary>Eight sendable endpoints plus one of every kind of skip.</summary>
    private static PinpointEventBuilder MixedEvent()
    {
        var pinpointEvent = new PinpointEventBuilder().WithData(PinpointEventBuilder.PersonalizedData);
        for (var i = 0; i < 8; i++)
        {
            pinpointEvent.Add($"send-{i}", $"+1 415 555 {1000 + i}");
        }

        return pinpointEvent
            .Add("opted-out", "+14155552000", optOut: "ALL")
            .Add("inactive", "+14155552001", status: "INACTIVE")
            .Add("not-a-number", "12")
            .Add("e-mail", "mary@example.com")
            .Add("duplicate", "001-415-555-1000")
            .Add("no-first-name", "+14155552002", firstName: null);
    }

    private static Func<GraphCall, GraphReply> Script(string mix)
    {
        GraphReply Accept(GraphCall call) => GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call));
        int Last(GraphCall call) => call.To.Length == 0 ? 0 : call.To[^1] - '0';
        return mix switch
        {
            "healthy" => Accept,
            "flaky" => call => call.RecipientCall == 1 && Last(call) % 2 == 0 ? GraphReply.Error(500, 1, "An unknown error occurred") : Accept(call),
            "permanent" => call => (Last(call) % 4) switch
            {
                0 => GraphReply.Error(400, 131026, "(#131026) Message Undeliverable"),
                1 => GraphReply.Error(404, 132001, "(#132001) Template name does not exist in the translation"),
                2 => GraphReply.Error(400, 100, "(#100) Invalid parameter"),
                _ => Accept(call),
            },
            "mixed" => call => Last(call) switch
            {
                0 => call.RecipientCall == 1 ? GraphReply.Error(400, 130429, "(#130429) Rate limit hit") : Accept(call),
                1 => GraphReply.Error(400, 131026, "(#131026) Message Undeliverable"),
                2 => GraphReply.Raw(200, "{not json"),
                3 => call.RecipientCall == 1 ? GraphReply.ResetBeforeHeaders : Accept(call),
                4 => GraphReply.Error(401, 190, "Error validating access token"),
                5 => GraphReply.Error(400, 131056, "(#131056) pair rate limit hit"),
                6 => GraphReply.ResetMidBody(200, Accept(call).Body),
                _ => Accept(call).After(TimeSpan.FromMilliseconds(200)),
            },
            "hanging" => call => Last(call) % 2 == 0 ? GraphReply.Hang : Accept(call),
            _ => throw new ArgumentOutOfRangeException(nameof(mix)),
        };
    }

    private static async Task<ChannelRun> RunMixAsync(string mix, PinpointEventBuilder pinpointEvent)
    {
        var timeout = TimeSpan.FromSeconds(3);
        if (mix == "down")
        {
            return await ChannelInvoker.RunAsync(
                ChannelInvoker.Settings(new Uri($"http://127.0.0.1:{ScriptedGraphServer.ClosedPort()}")), pinpointEvent, timeout);
        }

        await using var server = await ScriptedGraphServer.StartAsync(Script(mix));
        return await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, timeout);
    }

    [Theory]
    [MemberData(nameof(FaultMixes))]
    public async Task Every_endpoint_appears_exactly_once_whatever_the_faults(string mix)
    {
        var pinpointEvent = MixedEvent();

        var run = await RunMixAsync(mix, pinpointEvent);

        Assert.Equal(pinpointEvent.EndpointIds, run.EndpointIds);
        foreach (var (id, reason) in ExpectedSkips)
        {
            Assert.Equal("skipped", run.Status(id));
            Assert.Equal(reason, run.Attribute(id, Reason));
        }

        Assert.All(pinpointEvent.EndpointIds.Except(ExpectedSkips.Keys), id => Assert.Contains(run.Status(id), new[] { "sent", "failed" }));
        Assert.True(run.Elapsed < run.Timeout, $"answered after {run.Elapsed}, past the {run.Timeout} deadline");
    }

    [Theory]
    [MemberData(nameof(FaultMixes))]
    public async Task The_response_has_the_documented_shape_whatever_the_faults(string mix)
    {
        var run = await RunMixAsync(mix, MixedEvent());

        Assert.Equal(JsonValueKind.Object, run.Response.ValueKind);
        foreach (var endpoint in run.Response.EnumerateObject())
        {
            Assert.Equal(["EventAttributes"], endpoint.Value.EnumerateObject().Select(p => p.Name));
            var attributes = endpoint.Value.GetProperty("EventAttributes");
            Assert.All(attributes.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
            var keys = attributes.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            var status = attributes.GetProperty(Status).GetString();
            switch (status)
            {
                case "sent":
                    Assert.Equal(new[] { Attempts, MessageId, Status }, keys);
                    Assert.StartsWith("wamid.", attributes.GetProperty(MessageId).GetString(), StringComparison.Ordinal);
                    break;
                case "skipped":
                    Assert.Equal(new[] { Reason, Status }, keys);
                    break;
                case "failed":
                    // Meta's failures carry the code; ours (deadline) may come before any attempt was made.
                    Assert.Contains(Reason, keys);
                    Assert.False(string.IsNullOrWhiteSpace(attributes.GetProperty(Reason).GetString()));
                    Assert.Empty(keys.Except([Attempts, ErrorCode, Reason, Status]));
                    break;
                default:
                    Assert.Fail($"unknown status '{status}'");
                    break;
            }

            if (attributes.TryGetProperty(Attempts, out var attempts))
            {
                Assert.True(int.TryParse(attempts.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= 1);
            }
        }
    }

    [Fact]
    public async Task Sent_skipped_and_failed_endpoints_carry_exactly_the_documented_attributes()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.To.EndsWith("99999", StringComparison.Ordinal)
            ? GraphReply.Error(400, 131026, "(#131026) Message Undeliverable", "Message could not be delivered to the recipient.")
            : GraphReply.Accepted(call.To, "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"));
        var pinpointEvent = new PinpointEventBuilder()
            .Add("sent", "8613800138000")
            .Add("skipped", "8613800138001", optOut: "ALL")
            .Add("failed", "8613800199999");

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, TimeSpan.FromSeconds(10));

        var expected = JsonDocument.Parse("""
            {
              "sent": { "EventAttributes": { "whatsapp_status": "sent",
                        "whatsapp_message_id": "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA", "whatsapp_attempts": "1" } },
              "skipped": { "EventAttributes": { "whatsapp_status": "skipped", "whatsapp_reason": "opted-out" } },
              "failed": { "EventAttributes": { "whatsapp_status": "failed", "whatsapp_error_code": "131026",
                          "whatsapp_reason": "(#131026) Message Undeliverable: Message could not be delivered to the recipient.",
                          "whatsapp_attempts": "1" } }
            }
            """);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, run.Response), run.Response.GetRawText());
    }
}
