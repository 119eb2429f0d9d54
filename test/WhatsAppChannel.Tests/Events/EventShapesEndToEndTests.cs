using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.CampaignData;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Events;

/// <summary>A Step Functions batch and an Amazon Connect action through the real handler and real HTTP, each answered in
/// its sender's form, with the ledger shared across invocations as on a warm instance.</summary>
public sealed class EventShapesEndToEndTests
{
    private const string Data = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{Profile.FirstName|there}}"},{"type":"text","text":"{{Profile.Attributes.Item|your order}}"}]}]}""";

    private const string BatchData = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":"your order"}]}]}""";

    private readonly InMemoryLedger _ledger = new(TimeSpan.FromMinutes(2), TimeSpan.FromDays(1), TimeProvider.System);

    private static string Batch(string runId) => $$"""
        {"BatchInput":{"Data":{{JsonSerializer.Serialize(BatchData)}},"CampaignId":"spring-sale","RunId":"{{runId}}"},
         "Items":[{"Address":"+14155551301","FirstName":"Mary"},{"phone":"+14155551302","OptOut":"ALL"},{"Address":"+14155551303","EndpointId":"c-3"}]}
        """;

    private static string Action(string firstToken = "token-1") => JsonSerializer.Serialize(new
    {
        InvocationMetadata = new { CampaignContext = new { CampaignId = "c-1", RunId = "r-1", ActionId = "a-1", CampaignName = "Welcome Campaign" } },
        Items = new
        {
            CustomerProfiles = new object[]
            {
                new { ProfileId = "mary", CustomerData = """{"FirstName":"Mary","PhoneNumber":"+14155551301","Attributes":{"Item":"hat"}}""", IdempotencyToken = firstToken },
                new { ProfileId = "ann", CustomerData = """{"firstName":"Ann","mobilePhoneNumber":"+14155551302"}""", IdempotencyToken = "token-2" },
                new { ProfileId = "nophone", CustomerData = """{"FirstName":"Bo","EmailAddress":"bo@example.com"}""", IdempotencyToken = "token-3" },
                new { ProfileId = "bad", CustomerData = "{\"FirstName\":\"Cy\",\"PhoneNumber\":\"12\"}", IdempotencyToken = "token-4" },
            },
        },
    });

    private async Task<JsonElement> InvokeAsync(
        ScriptedGraphServer graph, string json, ICampaignDataSource? data = null, TimeProvider? time = null, TimeSpan? timeout = null, TextWriter? log = null)
    {
        var options = new ChannelFunctionOptions
        {
            Ledger = _ledger,
            CampaignData = data,
            TimeProvider = time,
            RetryBaseDelay = ChannelInvoker.RetryBaseDelay,
        };
        await using var function = ChannelFunction.Create(FunctionConfiguration.FromLookup(ChannelInvoker.Settings(graph.BaseUrl).GetValueOrDefault), log ?? TextWriter.Null, options);
        var deadline = (time ?? TimeProvider.System).GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        await using var output = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), new InvocationContext("req", deadline), CancellationToken.None);
        using var answer = await JsonDocument.ParseAsync(output);
        return answer.RootElement.Clone();
    }

    private static Dictionary<string, (string Result, JsonElement Data)> Profiles(JsonElement answer) =>
        answer.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray()
            .ToDictionary(p => p.GetProperty("Id").GetString()!, p => (p.GetProperty("Result").GetString()!, p.GetProperty("ResultData")));

    private static string? Value(JsonElement data, string name) => data.TryGetProperty(name, out var value) ? value.GetString() : null;

    [Fact]
    public async Task A_batch_is_answered_with_the_per_endpoint_map_and_a_rerun_of_the_same_run_sends_nothing()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());

        var first = await InvokeAsync(graph, Batch("exec-1"));

        Assert.Equal(["14155551301", "14155551302", "c-3"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sent", first.GetProperty("14155551301").GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString());
        Assert.Equal("opted-out", first.GetProperty("14155551302").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
        Assert.Equal(2, graph.Calls.Count);
        var mary = JsonDocument.Parse(graph.Calls.Single(c => c.To == "14155551301").Body).RootElement;
        Assert.Equal("Mary", mary.GetProperty("template").GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString());

        var rerun = await InvokeAsync(graph, Batch("exec-1"));

        Assert.Equal(2, graph.Calls.Count);
        Assert.Equal("already-sent", rerun.GetProperty("c-3").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
        Assert.Equal(
            first.GetProperty("c-3").GetProperty("EventAttributes").GetProperty("whatsapp_message_id").GetString(),
            rerun.GetProperty("c-3").GetProperty("EventAttributes").GetProperty("whatsapp_message_id").GetString());

        await InvokeAsync(graph, Batch("exec-2"));

        Assert.Equal(4, graph.Calls.Count);
    }

    /// <summary>A row without EndpointId is keyed by its number; the answer goes back to its sender as such, but the
    /// logs show the number masked, like every address.</summary>
    [Fact]
    public async Task A_row_without_EndpointId_is_logged_under_its_masked_number()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        using var log = new StringWriter();

        var answer = await InvokeAsync(graph, Batch("exec-log"), log: log);

        Assert.True(answer.TryGetProperty("14155551301", out _));
        Assert.Contains("\"endpointId\":\"******1301\"", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"endpointId\":\"c-3\"", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("14155551301", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Connect_action_answers_every_profile_once_success_for_sent_and_skipped_failure_for_failed()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var data = new RecordingDataSource(Data);

        var answer = await InvokeAsync(graph, Action(), data);

        var profiles = Profiles(answer);
        Assert.Equal(["mary", "ann", "nophone", "bad"], profiles.Keys);
        Assert.Equal(("SUCCESS", "sent"), (profiles["mary"].Result, Value(profiles["mary"].Data, "whatsapp_status")));
        Assert.StartsWith("wamid.", Value(profiles["mary"].Data, "whatsapp_message_id"), StringComparison.Ordinal);
        Assert.Equal(("SUCCESS", "sent"), (profiles["ann"].Result, Value(profiles["ann"].Data, "whatsapp_status")));
        Assert.Equal(("FAILURE", "failed", "no-phone-number"), (profiles["nophone"].Result, Value(profiles["nophone"].Data, "whatsapp_status"), Value(profiles["nophone"].Data, "whatsapp_reason")));
        Assert.Equal(("SUCCESS", "skipped", "invalid-address"), (profiles["bad"].Result, Value(profiles["bad"].Data, "whatsapp_status"), Value(profiles["bad"].Data, "whatsapp_reason")));
        Assert.Equal("Welcome Campaign", Assert.Single(data.Requested));
        var texts = graph.Calls.ToDictionary(c => c.To, c => JsonDocument.Parse(c.Body).RootElement.GetProperty("template").GetProperty("components")[0].GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("text").GetString()!).ToArray());
        Assert.Equal(["Mary", "hat"], texts["14155551301"]);
        Assert.Equal(["Ann", "your order"], texts["14155551302"]);
    }

    [Fact]
    public async Task Replaying_a_Connect_action_with_the_same_tokens_sends_nothing()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var data = new RecordingDataSource(Data);
        var first = Profiles(await InvokeAsync(graph, Action(), data));

        var replay = Profiles(await InvokeAsync(graph, Action(), data));
        var newToken = Profiles(await InvokeAsync(graph, Action(firstToken: "token-1-retry"), data));

        Assert.Equal(3, graph.Calls.Count);
        Assert.Equal(("SUCCESS", "already-sent"), (replay["mary"].Result, Value(replay["mary"].Data, "whatsapp_reason")));
        Assert.Equal(Value(first["mary"].Data, "whatsapp_message_id"), Value(replay["mary"].Data, "whatsapp_message_id"));
        Assert.Equal("sent", Value(newToken["mary"].Data, "whatsapp_status"));
    }

    [Fact]
    public async Task Without_usable_Data_every_profile_fails_with_the_reason_and_nothing_is_sent()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());

        var missing = Profiles(await InvokeAsync(graph, Action(), new RecordingDataSource(null)));
        var unusable = Profiles(await InvokeAsync(graph, Action(), new RecordingDataSource("""{"params":[]}""")));
        var unconfigured = Profiles(await InvokeAsync(graph, Action(), data: null));

        Assert.Empty(graph.Calls);
        Assert.All(missing.Values, p => Assert.Equal(("FAILURE", "campaign-data-unavailable: no parameter for Welcome Campaign"), (p.Result, Value(p.Data, "whatsapp_reason"))));
        Assert.All(unusable.Values, p => Assert.Equal("campaign-data-unavailable: test parameter is unusable: Data.templateName is missing", Value(p.Data, "whatsapp_reason")));
        Assert.All(unconfigured.Values, p => Assert.StartsWith("campaign-data-unavailable: CONNECT_DATA_PARAMETER_PREFIX is not set", Value(p.Data, "whatsapp_reason"), StringComparison.Ordinal));
        Assert.Equal(4, missing.Count);
    }

    [Fact]
    public async Task A_Connect_action_gets_28_seconds_whatever_the_functions_own_timeout()
    {
        // Reading the Data takes 29 s of the clock: past Connect's budget, though well inside the function's 10 minutes.
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var slow = new RecordingDataSource(Data, () => clock.Advance(TimeSpan.FromSeconds(29)));

        var answer = Profiles(await InvokeAsync(graph, Action(), slow, clock, TimeSpan.FromMinutes(10)));

        Assert.Empty(graph.Calls);
        Assert.Equal(("FAILURE", "deadline-exceeded"), (answer["mary"].Result, Value(answer["mary"].Data, "whatsapp_reason")));

        // 20 s leaves time: the budget is Connect's, not a fixed refusal.
        var laterClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var slowish = new RecordingDataSource(Data, () => laterClock.Advance(TimeSpan.FromSeconds(20)));
        var inTime = Profiles(await InvokeAsync(graph, Action(firstToken: "token-in-time"), slowish, laterClock, TimeSpan.FromMinutes(10)));
        Assert.Equal(("SUCCESS", "sent"), (inTime["mary"].Result, Value(inTime["mary"].Data, "whatsapp_status")));
    }

    /// <summary>Stands in for Parameter Store: the Data it holds (null = none), and which campaigns were asked for.</summary>
    private sealed class RecordingDataSource(string? data, Action? onRead = null) : ICampaignDataSource
    {
        public List<string?> Requested { get; } = [];

        public Task<StoredCampaignData> GetAsync(string? campaignName, CancellationToken cancellationToken)
        {
            Requested.Add(campaignName);
            onRead?.Invoke();
            return data is null
                ? Task.FromException<StoredCampaignData>(new CampaignDataUnavailableException("no parameter for " + campaignName))
                : Task.FromResult(new StoredCampaignData(data, "test parameter"));
        }
    }
}
