using System.Text;
using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Events;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.BadInput;

/// <summary>The bad-input corpus through the real handler and real HTTP: a clear InvalidEvent, or per-endpoint
/// outcomes for every endpoint, never anything else.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "BadInput", "Corpus");

    private SandboxServer _sandbox = null!;
    private ChannelFunction _function = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        var options = new SandboxOptions();
        var environment = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = options.PhoneNumberId,
            ["FB_APP_TOKEN"] = options.AccessToken,
            ["WHATSAPP_API_BASE_URL"] = _sandbox.BaseUrl.AbsoluteUri,
        };
        _function = ChannelFunction.Create(FunctionConfiguration.FromLookup(environment.GetValueOrDefault), TextWriter.Null);
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private Task<Stream> Invoke(byte[] payload, TimeSpan? timeout = null) =>
        _function.HandleAsync(new MemoryStream(payload), new InvocationContext("bad-input", DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20))), CancellationToken.None);

    [Theory]
    [InlineData("empty.json", "the event is empty")]
    [InlineData("whitespace.json", "the event is empty")]
    [InlineData("null.json", "the event is null")]
    [InlineData("array.json", "the event must be a JSON object")]
    [InlineData("array-of-events.json", "the event must be a JSON object")]
    [InlineData("string.json", "the event must be a JSON object")]
    [InlineData("number.json", "the event must be a JSON object")]
    [InlineData("not-json.json", "the event is not JSON")]
    [InlineData("truncated.json", "the event is not JSON")]
    [InlineData("invalid-utf8.json", "the event is not JSON")]
    [InlineData("lone-surrogate-endpoint-id.json", "the event is not JSON: it holds text that is not valid Unicode")]
    [InlineData("lone-surrogate-params.json", "Data.params holds text that is not valid Unicode")]
    [InlineData("deeply-nested.json", "the event is not JSON")]
    [InlineData("bom-no-endpoints.json", "Endpoints is missing")]
    [InlineData("no-endpoints.json", "Endpoints is missing")]
    [InlineData("null-endpoints.json", "Endpoints is missing")]
    [InlineData("endpoints-array.json", "Endpoints must be an object")]
    [InlineData("endpoints-string.json", "Endpoints must be an object")]
    [InlineData("no-data.json", "Data is missing")]
    [InlineData("null-data.json", "Data is missing")]
    [InlineData("data-object.json", "Data must be a string")]
    [InlineData("data-number.json", "Data must be a string")]
    [InlineData("duplicate-data-key-last-wrong.json", "Data must be a string")]
    [InlineData("data-not-json.json", "Data is not JSON")]
    [InlineData("data-truncated.json", "Data is not JSON")]
    [InlineData("data-no-template.json", "Data.templateName is missing")]
    [InlineData("data-empty-template.json", "Data.templateName is missing")]
    [InlineData("data-template-array.json", "Data.templateName must be a string")]
    [InlineData("data-params-string.json", "Data.params must be an array")]
    [InlineData("data-params-unclosed-placeholder.json", "Data.params[0].parameters[0].text has an unclosed placeholder '{{User.UserAttributes.FirstName}'")]
    [InlineData("data-params-stray-close.json", "Data.params[0].parameters[1].text has an unclosed placeholder '{Attributes.Item|order}}'")]
    [InlineData("data-language-not-a-code.json", "Data.language 'English (US)' is not a language code")]
    [InlineData("campaign-id-object.json", "the event does not have the Pinpoint shape at $.CampaignId")]
    [InlineData("dm-no-data.json", "BatchInput.Data is missing")]
    [InlineData("dm-no-campaign-id.json", "BatchInput.CampaignId is missing")]
    [InlineData("dm-no-run-id.json", "BatchInput.RunId is missing")]
    [InlineData("dm-items-object.json", "Items must be an array")]
    [InlineData("dm-batch-input-string.json", "BatchInput must be an object")]
    [InlineData("dm-data-number.json", "BatchInput.Data must be a JSON object or a string holding one")]
    [InlineData("dm-items-without-batch-input.json", "BatchInput is missing")]
    [InlineData("dm-51-items.json", "Items holds 51 recipients: a batch may hold at most 50")]
    [InlineData("dm-other-phone-number-id.json", "phoneNumberId '999' is not one of this function's numbers")]
    [InlineData("connect-no-campaign-context.json", "InvocationMetadata.CampaignContext is missing")]
    [InlineData("connect-no-run-id.json", "InvocationMetadata.CampaignContext.RunId is missing")]
    [InlineData("connect-profiles-object.json", "Items.CustomerProfiles must be an array")]
    [InlineData("connect-profile-without-id.json", "Items.CustomerProfiles[1].ProfileId is missing")]
    public async Task An_unusable_event_fails_with_InvalidEvent_and_a_clear_message(string file, string expected)
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, file));

        var error = await Assert.ThrowsAsync<InvalidEventException>(() => Invoke(payload));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(0, _sandbox.RequestCount);
    }

    [Fact]
    public void Every_corpus_file_is_covered_by_a_test()
    {
        var invalid = typeof(BadInputTests).GetMethod(nameof(An_unusable_event_fails_with_InvalidEvent_and_a_clear_message))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]);
        var usable = typeof(BadInputTests).GetMethod(nameof(A_usable_event_accounts_for_every_endpoint))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]);
        string[] otherShapes = ["usable-dm-hostile-items.json", "usable-dm-empty-items.json", "usable-connect-hostile-profiles.json"];

        Assert.Equal(
            Directory.GetFiles(CorpusDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            invalid.Concat(usable).Concat(otherShapes).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("usable-wrong-typed-endpoints.json")]
    [InlineData("usable-unicode.json")]
    [InlineData("usable-duplicate-endpoint-ids.json")]
    [InlineData("usable-empty-endpoints.json")]
    [InlineData("usable-missing-values.json")]
    [InlineData("usable-extra-fields.json")]
    [InlineData("usable-lone-surrogates.json")]
    [InlineData("usable-lone-surrogate-locale.json")]
    public async Task A_usable_event_accounts_for_every_endpoint(string file)
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, file));

        var response = await Invoke(payload);

        AssertEveryEndpointOnce(payload, response);
    }

    [Fact]
    public async Task Wrongly_typed_endpoints_are_skipped_and_the_good_one_is_sent()
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, "usable-wrong-typed-endpoints.json"));

        var statuses = Statuses(await Invoke(payload));

        Assert.Equal("sent", statuses["good"].Status);
        Assert.Equal("invalid-address", statuses["num"].Reason);
        Assert.Equal("invalid-address", statuses["arr"].Reason);
        Assert.Equal("invalid-address", statuses["obj"].Reason);
        Assert.Equal("invalid-endpoint", statuses["null"].Reason);
        Assert.Equal("invalid-endpoint", statuses["str"].Reason);
    }

    [Fact]
    public async Task A_batch_of_hostile_rows_answers_every_item_once_and_sends_the_good_ones()
    {
        var statuses = Statuses(await Invoke(await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, "usable-dm-hostile-items.json"))));

        Assert.Equal(13, statuses.Count);
        Assert.Equal(("sent", null), statuses["ok"]);
        Assert.Equal("sent", statuses["num"].Status); // A JSON Lines number is a number.
        Assert.Equal("invalid-address", statuses["arr"].Reason);
        Assert.Equal("invalid-address", statuses["blank"].Reason);
        Assert.Equal("sent", statuses["14155550154"].Status); // An EndpointId that is not text: the number's digits.
        Assert.All(new[] { "item-6", "item-7", "item-8", "item-9" }, id => Assert.Equal("invalid-endpoint", statuses[id].Reason));
        Assert.Equal("duplicate-address", statuses["ok#2"].Reason);
        Assert.Equal("duplicate-address", statuses["14155550151"].Reason);
        Assert.Equal("sent", statuses["14155550155"].Status);
        Assert.Equal("invalid-endpoint", statuses["item-13"].Reason);
    }

    [Fact]
    public async Task A_batch_without_items_answers_an_empty_map()
    {
        var statuses = Statuses(await Invoke(await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, "usable-dm-empty-items.json"))));

        Assert.Empty(statuses);
        Assert.Equal(0, _sandbox.RequestCount);
    }

    [Fact]
    public async Task A_Connect_action_of_hostile_profiles_answers_every_profile_once()
    {
        // This function has no Parameter Store prefix: every profile fails with that reason, none is lost or repeated.
        var output = await Invoke(await File.ReadAllBytesAsync(Path.Combine(CorpusDirectory, "usable-connect-hostile-profiles.json")));

        using var answer = await JsonDocument.ParseAsync(output);
        var profiles = answer.RootElement.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray().ToList();
        Assert.Equal(
            ["good", "notjson", "number", "array", "object", "missing", "deep", "phonetyped", "surrogate", "notoken"],
            profiles.Select(p => p.GetProperty("Id").GetString()));
        Assert.All(profiles, p =>
        {
            Assert.Equal("FAILURE", p.GetProperty("Result").GetString());
            Assert.StartsWith("campaign-data-unavailable: CONNECT_DATA_PARAMETER_PREFIX is not set", p.GetProperty("ResultData").GetProperty("whatsapp_reason").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(0, _sandbox.RequestCount);
    }

    [Fact]
    public async Task A_six_megabyte_event_is_handled()
    {
        var padding = new string('x', 6 * 1024 * 1024);
        var payload = Encoding.UTF8.GetBytes("""{"Data":""" + DataJson() + ""","Endpoints":{"a":{"Address":"+14155550140","Attributes":{"Padding":[""" + "\"" + padding + "\"" + """]}}}}""");

        var statuses = Statuses(await Invoke(payload));

        Assert.Equal("sent", statuses["a"].Status);
    }

    [Fact]
    public async Task Ten_thousand_endpoints_are_all_accounted_for_before_the_deadline()
    {
        var endpoints = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $$"""
            "e{{i}}":{"Address":"+1415{{i + 2_000_000:D7}}"}
            """));
        var payload = Encoding.UTF8.GetBytes("""{"Data":""" + DataJson() + ""","Endpoints":{""" + endpoints + "}}");
        var deadline = TimeSpan.FromSeconds(4);
        var started = DateTimeOffset.UtcNow;

        var response = await Invoke(payload, deadline);

        Assert.True(DateTimeOffset.UtcNow - started < deadline, "the handler answered after its deadline");
        var statuses = AssertEveryEndpointOnce(payload, response);
        Assert.Contains(statuses.Values, s => s.Status == "sent");
        // Not started in time, or cut off in flight at the deadline (then WhatsApp may have it).
        Assert.All(statuses.Values.Where(s => s.Status != "sent"), s => Assert.Contains(s.Reason, new[] { "deadline-exceeded", "delivery-unknown" }));
    }

    private static string DataJson() =>
        JsonSerializer.Serialize("""{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}]}""");

    private static Dictionary<string, (string Status, string? Reason)> AssertEveryEndpointOnce(byte[] payload, Stream response)
    {
        using var request = JsonDocument.Parse(payload);
        var expectedIds = request.RootElement.GetProperty("Endpoints").EnumerateObject().Select(p => p.Name).Distinct().Order(StringComparer.Ordinal).ToList();

        using var reader = new StreamReader(response);
        var json = reader.ReadToEnd();
        using var document = JsonDocument.Parse(json);
        var ids = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(expectedIds, ids.Order(StringComparer.Ordinal));
        foreach (var endpoint in document.RootElement.EnumerateObject())
        {
            var attributes = endpoint.Value.GetProperty("EventAttributes");
            Assert.Contains(attributes.GetProperty("whatsapp_status").GetString(), new[] { "sent", "skipped", "failed" });
            Assert.All(attributes.EnumerateObject(), a => Assert.Equal(JsonValueKind.String, a.Value.ValueKind));
        }

        return Statuses(json);
    }

    private static Dictionary<string, (string Status, string? Reason)> Statuses(Stream response)
    {
        using var reader = new StreamReader(response);
        return Statuses(reader.ReadToEnd());
    }

    private static Dictionary<string, (string Status, string? Reason)> Statuses(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p =>
            {
                var attributes = p.Value.GetProperty("EventAttributes");
                return (attributes.GetProperty("whatsapp_status").GetString()!,
                    attributes.TryGetProperty("whatsapp_reason", out var reason) ? reason.GetString() : null);
            });
    }
}
