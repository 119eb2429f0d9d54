using System.Text.Json;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>The log of a faulty run: JSON lines, one per endpoint, a summary, EMF metrics; no secrets.</summary>
public sealed class DeliveryLogTests
{
    private const string RequestId = "req-logs-7d1c";

    /// <summary>Numbers written as Pinpoint might, with their E.164 digits.</summary>
    private static readonly (string Id, string Address, string Digits)[] Sendable =
    [
        ("ok", "8613800138000", "8613800138000"),
        ("retried", "+1 415 555 1001", "14155551001"),
        ("undeliverable", "+44 20 7946 0958", "442079460958"),
        ("echoing", "+49-30-901820-77", "493090182077"),
        ("hung", "+33 1 44 55 66 77", "33144556677"),
        ("bad-token", "+81 3-1234-5678", "81312345678"),
        ("garbled", "0086 139 1234 5678", "8613912345678"),
    ];

    private static readonly (string Id, string Address, string OptOut, string Status)[] Skipped =
    [
        ("opted-out", "+14155552000", "ALL", "ACTIVE"),
        ("inactive", "+14155552001", "NONE", "INACTIVE"),
        ("duplicate", "+86 138 0013 8000", "NONE", "ACTIVE"),
        ("not-a-number", "555", "NONE", "ACTIVE"),
    ];

    private static GraphReply Answer(GraphCall call) => call.To switch
    {
        "14155551001" when call.RecipientCall == 1 => GraphReply.Error(503, 2, "Service temporarily unavailable"),
        "442079460958" => GraphReply.Error(400, 131026, "(#131026) Message Undeliverable"),
        // Some Graph errors quote the parameter they reject: the number must still not reach the log.
        "493090182077" => GraphReply.Error(400, 100, "(#100) Invalid parameter", $"Parameter 'to' value {call.To} (+{call.To}) is not a WhatsApp user"),
        "33144556677" => GraphReply.Hang,
        "81312345678" => GraphReply.Error(401, 190, "Error validating access token: the session is invalid"),
        "8613912345678" => GraphReply.Raw(200, $"{{\"contacts\":[{{\"input\":\"{call.To}\""),
        _ => GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)),
    };

    private static async Task<(ChannelRun Run, PinpointEventBuilder Event)> RunFaultyAsync()
    {
        var pinpointEvent = new PinpointEventBuilder();
        foreach (var (id, address, _) in Sendable)
        {
            pinpointEvent.Add(id, address);
        }

        foreach (var (id, address, optOut, status) in Skipped)
        {
            pinpointEvent.Add(id, address, optOut, status);
        }

        await using var server = await ScriptedGraphServer.StartAsync(Answer);
        var run = await ChannelInvoker.RunAsync(
            ChannelInvoker.Settings(server.BaseUrl), pinpointEvent, TimeSpan.FromSeconds(3), requestId: RequestId);
        return (run, pinpointEvent);
    }

    private static List<JsonElement> Parse(ChannelRun run) =>
        [.. run.LogLines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        })];

    [Fact]
    public async Task The_log_has_one_line_per_endpoint_one_summary_and_one_metrics_document()
    {
        var (run, pinpointEvent) = await RunFaultyAsync();
        var lines = Parse(run);

        var endpointLines = lines.Where(l => l.TryGetProperty("endpointId", out _)).ToList();
        Assert.Equal(
            pinpointEvent.EndpointIds.Order(StringComparer.Ordinal),
            endpointLines.Select(l => l.GetProperty("endpointId").GetString()!).Order(StringComparer.Ordinal));
        foreach (var line in endpointLines)
        {
            var id = line.GetProperty("endpointId").GetString()!;
            Assert.Equal(RequestId, line.GetProperty("requestId").GetString());
            Assert.Equal(run.Status(id), line.GetProperty("status").GetString());
            Assert.Matches(@"^(\*+.{0,4})?$", line.GetProperty("address").GetString());
            Assert.Equal(run.Attempts(id), line.GetProperty("attempts").GetInt32());
            Assert.True(line.GetProperty("durationMs").GetDouble() >= 0);
            if (run.Attribute(id, "whatsapp_error_code") is { } code)
            {
                Assert.Equal(code, line.GetProperty("code").GetString());
            }
        }

        var summary = Assert.Single(lines, l => l.TryGetProperty("message", out var message)
            && message.ValueKind == JsonValueKind.String && message.GetString() == "invocation done");
        Assert.Equal(RequestId, summary.GetProperty("requestId").GetString());
        Assert.Equal(pinpointEvent.EndpointIds.Count, summary.GetProperty("endpoints").GetInt32());

        var emf = Assert.Single(lines, l => l.TryGetProperty("_aws", out _));
        var directive = emf.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("WhatsAppChannel", directive.GetProperty("Namespace").GetString());
        Assert.Equal(
            ["Sent", "Skipped", "Failed", "Retries", "SendLatency"],
            directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));

        var statuses = pinpointEvent.EndpointIds.Select(run.Status).ToList();
        var retries = pinpointEvent.EndpointIds.Sum(id => Math.Max(0, run.Attempts(id) - 1));
        Assert.Equal(statuses.Count(s => s == "sent"), emf.GetProperty("Sent").GetInt32());
        Assert.Equal(statuses.Count(s => s == "skipped"), emf.GetProperty("Skipped").GetInt32());
        Assert.Equal(statuses.Count(s => s == "failed"), emf.GetProperty("Failed").GetInt32());
        Assert.Equal(retries, emf.GetProperty("Retries").GetInt32());
        Assert.Equal(emf.GetProperty("Sent").GetInt32(), summary.GetProperty("sent").GetInt32());
        Assert.Equal(emf.GetProperty("Failed").GetInt32(), summary.GetProperty("failed").GetInt32());
        Assert.Equal(emf.GetProperty("Skipped").GetInt32(), summary.GetProperty("skipped").GetInt32());
        Assert.Equal(retries, summary.GetProperty("retries").GetInt32());

        // The run did hit every kind of outcome, so the counts above mean something.
        Assert.Contains("sent", statuses);
        Assert.Contains("failed", statuses);
        Assert.True(retries > 0);
        Assert.Equal(lines.Count, endpointLines.Count + 2);
    }

    [Fact]
    public async Task No_log_line_holds_the_token_or_a_full_phone_number()
    {
        var (run, pinpointEvent) = await RunFaultyAsync();
        Assert.NotEmpty(run.LogLines);

        var secrets = new List<string> { ChannelInvoker.Token };
        secrets.AddRange(pinpointEvent.Addresses.Where(a => a.Length > 4));
        secrets.AddRange(Sendable.Select(s => s.Digits));
        secrets.AddRange(pinpointEvent.Addresses.Select(a => new string([.. a.Where(char.IsAsciiDigit)])).Where(d => d.Length > 4));
        foreach (var line in run.LogLines)
        {
            foreach (var secret in secrets.Distinct(StringComparer.Ordinal))
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}
