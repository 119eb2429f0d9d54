using System.Text.Json;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The bootstrap serving events through the real handler against the WhatsApp sandbox.</summary>
public sealed class BootstrapInvocationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_process_serves_several_invocations_and_keeps_waiting_for_the_next()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(sandbox, api);

        for (var i = 0; i < 3; i++)
        {
            var post = await api.InvokeAsync(
                CampaignEvents.Create($"activity-{i}", ($"endpoint-{i}", CampaignEvents.Address(i))), InSeconds(30)).WaitAsync(Bound);

            Assert.Equal(RuntimeApiPostKind.Response, post.Kind);
            Assert.Equal("sent", Status(post, $"endpoint-{i}"));
        }

        Assert.Equal(3, sandbox.Messages.Count);
        await BootstrapStartupTests.WaitUntilAsync(() => api.NextCalls == 4);
        Assert.Equal(4, api.NextCalls);
        Assert.False(bootstrap.HasExited);
        Assert.Equal(3, api.Posts.Count);
    }

    [Fact]
    public async Task Malformed_events_are_reported_as_InvalidEvent_and_the_next_event_is_served()
    {
        string[] malformed =
        [
            "this is not JSON",
            "",
            "null",
            "[]",
            """{"Data":"{}"}""",
            """{"Endpoints":{"e1":{"Address":"4915100000001"}},"Data":"not json"}""",
            """{"Endpoints":{"e1":{"Address":"4915100000001"}},"Data":"{\"params\":[]}"}""",
        ];
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(sandbox, api);

        foreach (var payload in malformed)
        {
            var error = await api.InvokeAsync(payload, InSeconds(30)).WaitAsync(Bound);

            Assert.True(error.Kind == RuntimeApiPostKind.Error, $"'{payload}' got {error.Kind}: {error.Body}");
            Assert.Equal("InvalidEvent", error.ErrorTypeHeader);
            Assert.Equal("InvalidEvent", error.Json.GetProperty("errorType").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.Json.GetProperty("errorMessage").GetString()));
            Assert.Equal(JsonValueKind.Array, error.Json.GetProperty("stackTrace").ValueKind);
        }

        var good = await api.InvokeAsync(CampaignEvents.Create("after-errors", ("e1", CampaignEvents.Address(1))), InSeconds(30))
            .WaitAsync(Bound);
        Assert.Equal(RuntimeApiPostKind.Response, good.Kind);
        Assert.Equal("sent", Status(good, "e1"));
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task Every_unusable_event_of_the_bad_input_corpus_is_reported_on_error_and_the_next_event_is_served()
    {
        // The reliability suite's corpus: files not named usable-* are unusable events.
        var corpus = Path.Combine(RepositoryRoot.Path, "test", "WhatsAppChannel.IntegrationTests", "BadInput", "Corpus");
        var unusable = Directory.GetFiles(corpus, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("usable-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(unusable);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(sandbox, api);

        foreach (var file in unusable)
        {
            var error = await api.InvokeAsync(await File.ReadAllBytesAsync(file), InSeconds(30)).WaitAsync(Bound);

            Assert.True(error.Kind == RuntimeApiPostKind.Error, $"{Path.GetFileName(file)} got {error.Kind}: {error.Body}");
            Assert.True(error.ErrorTypeHeader == "InvalidEvent", $"{Path.GetFileName(file)}: {error.Body}");
        }

        var good = await api.InvokeAsync(CampaignEvents.Create("after-corpus", ("e1", CampaignEvents.Address(1))), InSeconds(30))
            .WaitAsync(Bound);
        Assert.Equal("sent", Status(good, "e1"));
        Assert.Equal(1, sandbox.RequestCount);
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task The_trace_id_reaches_X_AMZN_TRACE_ID_and_is_cleared_for_an_event_without_one()
    {
        const string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(sandbox, api);

        var traced = await api.InvokeAsync(CampaignEvents.Create("traced", ("e1", CampaignEvents.Address(1))), InSeconds(30), traceId)
            .WaitAsync(Bound);
        var untraced = await api.InvokeAsync(CampaignEvents.Create("untraced", ("e2", CampaignEvents.Address(2))), InSeconds(30))
            .WaitAsync(Bound);

        // The function logs _X_AMZN_TRACE_ID on its "invocation done" line.
        var tracedLine = await InvocationDoneLineAsync(bootstrap, traced.RequestId!);
        Assert.Equal(traceId, tracedLine.GetProperty("traceId").GetString());
        var untracedLine = await InvocationDoneLineAsync(bootstrap, untraced.RequestId!);
        Assert.False(untracedLine.TryGetProperty("traceId", out _), "the previous event's trace id leaked into the next");
    }

    [Fact]
    public async Task The_deadline_bounds_retries_and_the_response_arrives_before_it()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { ServerErrorRate = 1.0, PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await StartAsync(sandbox, api);
        // Warm up (JIT, connections) so the short deadline measures the retries, not start-up.
        await api.InvokeAsync(CampaignEvents.Create("warm-up", ("w", CampaignEvents.Address(9))), InSeconds(2)).WaitAsync(Bound);

        var deadline = InSeconds(3);
        var post = await api.InvokeAsync(
            CampaignEvents.Create("deadline", ("e1", CampaignEvents.Address(1)), ("e2", CampaignEvents.Address(2))), deadline).WaitAsync(Bound);

        Assert.Equal(RuntimeApiPostKind.Response, post.Kind);
        Assert.True(post.ReceivedAt < deadline, $"response at {post.ReceivedAt:O}, deadline {deadline:O}");
        Assert.Equal("failed", Status(post, "e1"));
        Assert.Equal("failed", Status(post, "e2"));
        Assert.Empty(sandbox.Messages);
        Assert.False(bootstrap.HasExited);
    }

    internal static Task<BootstrapProcess> StartAsync(SandboxServer sandbox, RuntimeApiStandIn api) =>
        BootstrapExecutable.StartAsync(BootstrapStartupTests.ValidFunction(sandbox.BaseUrl.ToString().TrimEnd('/'), api.Address));

    internal static DateTimeOffset InSeconds(int seconds) => DateTimeOffset.UtcNow.AddSeconds(seconds);

    internal static string? Status(RuntimeApiPost post, string endpointId) =>
        post.Json.GetProperty(endpointId).GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString();

    private static async Task<JsonElement> InvocationDoneLineAsync(BootstrapProcess bootstrap, string requestId)
    {
        JsonElement? found = null;
        await BootstrapStartupTests.WaitUntilAsync(() => (found = Find()) is not null);
        return found ?? throw new Xunit.Sdk.XunitException(
            $"No 'invocation done' line for {requestId} in stdout:\n{string.Join('\n', bootstrap.StandardOutput)}");

        JsonElement? Find()
        {
            foreach (var line in bootstrap.StandardOutput)
            {
                if (!line.StartsWith('{') || !line.Contains(requestId, StringComparison.Ordinal))
                {
                    continue;
                }

                var json = JsonDocument.Parse(line).RootElement;
                if (json.TryGetProperty("message", out var message) && message.GetString() == "invocation done")
                {
                    return json.Clone();
                }
            }

            return null;
        }
    }
}
