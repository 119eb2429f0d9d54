using System.Text;
using System.Text.Json;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Events;

/// <summary>The batch a Step Functions Distributed Map state with an ItemBatcher passes to a Lambda task: BatchInput holds
/// what the ItemBatcher's BatchInput field gives (Data, CampaignId, RunId), Items the rows its ItemReader read.</summary>
public sealed class DistributedMapBatchTests
{
    private const string Data = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":"{{User.UserAttributes.Item|your order}}"}]}]}""";

    private static readonly DeliveryPlanner Planner = new(new PhoneNumberNormalizer(null), new LanguageSelector("en_US", useEndpointLocale: true));

    private static string Batch(string items, string runId = "run-1", string campaignId = "spring-sale", string? data = null) =>
        $$"""{"BatchInput":{"Data":{{data ?? JsonSerializer.Serialize(Data)}},"CampaignId":"{{campaignId}}","RunId":"{{runId}}"},"Items":{{items}}}""";

    private static CampaignEvent Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Fail(string json) => Assert.Throws<InvalidEventException>(() => Parse(json)).Message;

    private static string[] TextParameters(PlannedSend send)
    {
        using var body = JsonDocument.Parse(send.Body);
        return [.. body.RootElement.GetProperty("template").GetProperty("components")[0].GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("text").GetString()!)];
    }

    [Fact]
    public void A_batch_is_recognized_by_its_BatchInput_and_keyed_by_campaign_and_run()
    {
        var campaign = Parse(Batch("""[{"Address":"+14155550123"}]"""));

        Assert.Equal(EventShape.DistributedMapBatch, campaign.Shape);
        Assert.Equal("spring-sale", campaign.Scope.CampaignId);
        Assert.Equal("run-1", campaign.Scope.ScheduledTime);
        Assert.Equal("ordertimeoutnotification", campaign.Template!.Name);
        Assert.Null(campaign.AnswerWithin);
    }

    [Fact]
    public void A_flat_row_maps_its_columns_to_endpoint_fields_and_user_attributes()
    {
        var campaign = Parse(Batch("""
            [{"Address":"+1 415-555-0123","EndpointId":"c-1","FirstName":"Mary","Item":"T-shirt","OptOut":"NONE","EndpointStatus":"ACTIVE","Locale":"en_GB"},
             {"phone":"+447700900123","FirstName":"Ann","Tier":7}]
            """));

        var mary = campaign.Endpoints[0];
        Assert.Equal("c-1", mary.Id);
        Assert.Equal("+1 415-555-0123", mary.Address);
        Assert.Equal("NONE", mary.OptOut);
        Assert.Equal("ACTIVE", mary.EndpointStatus);
        Assert.Equal("en_GB", mary.Locale);
        Assert.Equal("Mary", EndpointFields.Resolve(mary, "User.UserAttributes.FirstName"));
        Assert.Equal("T-shirt", EndpointFields.Resolve(mary, "User.UserAttributes.Item"));
        Assert.Null(EndpointFields.Resolve(mary, "User.UserAttributes.Address"));
        Assert.Null(EndpointFields.Resolve(mary, "User.UserAttributes.Locale"));

        var ann = campaign.Endpoints[1];
        Assert.Equal("447700900123", ann.Id); // No EndpointId: the number's digits.
        Assert.Equal("+447700900123", ann.Address);
        Assert.Equal("7", EndpointFields.Resolve(ann, "User.UserAttributes.Tier"));
        Assert.Null(EndpointFields.Resolve(ann, "User.UserAttributes.phone"));
    }

    [Fact]
    public void Mapped_column_names_match_in_any_case_as_hand_written_csv_headers_do()
    {
        var endpoint = Assert.Single(Parse(Batch("""[{"PHONE":"+14155550123","endpointid":"x","optout":"ALL","locale":"de_DE"}]""")).Endpoints);

        Assert.Equal("x", endpoint.Id);
        Assert.Equal("+14155550123", endpoint.Address);
        Assert.Equal("ALL", endpoint.OptOut);
        Assert.Equal("de_DE", endpoint.Locale);
    }

    [Fact]
    public void A_Pinpoint_shaped_item_keeps_its_fields_and_gains_its_other_columns_as_attributes()
    {
        var campaign = Parse(Batch("""
            [{"Address":"+447700900123","Locale":"en_GB","Segment":"gold",
              "User":{"UserId":"u-1","UserAttributes":{"FirstName":["Ann"],"Segment":["own wins"]}},
              "Attributes":{"Item":["hat"]},"Location":{"City":"Leeds"},"Demographic":{"Platform":"ios"}}]
            """));

        var ann = Assert.Single(campaign.Endpoints);
        Assert.Equal("Ann", EndpointFields.Resolve(ann, "User.UserAttributes.FirstName"));
        Assert.Equal("own wins", EndpointFields.Resolve(ann, "User.UserAttributes.Segment"));
        Assert.Equal("u-1", EndpointFields.Resolve(ann, "User.UserId"));
        Assert.Equal("hat", EndpointFields.Resolve(ann, "Attributes.Item"));
        Assert.Equal("Leeds", EndpointFields.Resolve(ann, "Location.City"));
        Assert.Equal("ios", EndpointFields.Resolve(ann, "Demographic.Platform"));
        Assert.Equal("en_GB", ann.Locale);
    }

    [Fact]
    public void A_Pinpoint_export_line_keeps_its_endpoint_id()
    {
        var endpoint = Assert.Single(Parse(Batch("""[{"Id":"pinpoint-endpoint-7","ChannelType":"SMS","Address":"+14155550123"}]""")).Endpoints);

        Assert.Equal("pinpoint-endpoint-7", endpoint.Id);
    }

    [Fact]
    public void Rows_personalize_and_skip_through_the_same_plan_as_Pinpoint_endpoints()
    {
        var plan = Planner.Plan(Parse(Batch("""
            [{"Address":"+14155550100","FirstName":"Mary","Item":"hat"},
             {"Address":"+14155550101","OptOut":"ALL"},
             {"Address":"+14155550102","EndpointStatus":"INACTIVE"},
             {"Address":"not a number"},
             {"FirstName":"nobody"},
             {"Address":"+1 415 555 0100","FirstName":"Mary again"},
             "not an object"]
            """)));

        Assert.Equal(["14155550100", "14155550101", "14155550102", "item-4", "item-5", "14155550100#2", "item-7"], plan.EndpointOrder);
        var send = Assert.Single(plan.Sends);
        Assert.Equal(["Mary", "hat"], TextParameters(send));
        string? Reason(string id) => plan.Decided.Single(r => r.EndpointId == id).Reason;
        Assert.Equal(SkipReasons.OptedOut, Reason("14155550101"));
        Assert.Equal(SkipReasons.Inactive, Reason("14155550102"));
        Assert.Equal(SkipReasons.InvalidAddress, Reason("item-4"));
        Assert.Equal(SkipReasons.InvalidAddress, Reason("item-5"));
        Assert.Equal(SkipReasons.DuplicateAddress, Reason("14155550100#2"));
        Assert.Equal(SkipReasons.InvalidEndpoint, Reason("item-7"));
    }

    [Fact]
    public void A_repeated_EndpointId_is_answered_for_every_row()
    {
        var campaign = Parse(Batch("""[{"Address":"+14155550100","EndpointId":"c"},{"Address":"+14155550101","EndpointId":"c"},{"Address":"+14155550102","EndpointId":"c"}]"""));

        Assert.Equal(["c", "c#2", "c#3"], campaign.Endpoints.Select(e => e.Id));
        Assert.Equal(3, Planner.Plan(campaign).Sends.Count);
    }

    [Fact]
    public void Data_may_be_the_string_or_the_object_itself()
    {
        var asObject = Parse(Batch("""[{"Address":"+14155550100"}]""", data: Data));
        var asString = Parse(Batch("""[{"Address":"+14155550100"}]"""));

        Assert.Equal(asString.Template!.Name, asObject.Template!.Name);
        Assert.Equal(asString.Template.Components!.Value.GetRawText(), asObject.Template.Components!.Value.GetRawText());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50)]
    public void Up_to_50_items_are_a_batch(int count)
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"Address":"+1415555{{i:D4}}"}""")) + "]";

        var plan = Planner.Plan(Parse(Batch(items)));

        Assert.Equal(count, plan.Sends.Count);
    }

    [Fact]
    public void Fifty_one_items_are_an_invalid_event()
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"Address":"+1415555{{i:D4}}"}""")) + "]";

        Assert.StartsWith("Items holds 51 recipients: a batch may hold at most 50", Fail(Batch(items)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"BatchInput":{"CampaignId":"c","RunId":"r"},"Items":[]}""", "BatchInput.Data is missing")]
    [InlineData("""{"BatchInput":{"Data":null,"CampaignId":"c","RunId":"r"},"Items":[]}""", "BatchInput.Data is missing")]
    [InlineData("""{"BatchInput":{"Data":5,"CampaignId":"c","RunId":"r"},"Items":[]}""", "BatchInput.Data must be a JSON object or a string holding one, not a number")]
    [InlineData("""{"BatchInput":{"Data":"{}","CampaignId":"c","RunId":"r"},"Items":[]}""", "Data.templateName is missing")]
    [InlineData("""{"BatchInput":{"Data":"nope","CampaignId":"c","RunId":"r"},"Items":[]}""", "Data is not JSON")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"RunId":"r"},"Items":[]}""", "BatchInput.CampaignId is missing")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"CampaignId":" ","RunId":"r"},"Items":[]}""", "BatchInput.CampaignId is empty")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"CampaignId":{},"RunId":"r"},"Items":[]}""", "BatchInput.CampaignId must be a string, not an object")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"CampaignId":"c"},"Items":[]}""", "BatchInput.RunId is missing")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"CampaignId":"c","RunId":"r"}}""", "Items is missing")]
    [InlineData("""{"BatchInput":{"Data":{"templateName":"t"},"CampaignId":"c","RunId":"r"},"Items":{"a":1}}""", "Items must be an array")]
    [InlineData("""{"BatchInput":[1],"Items":[]}""", "BatchInput must be an object")]
    [InlineData("""{"Items":[{"Address":"+14155550100"}]}""", "BatchInput is missing")]
    public void A_bad_batch_fails_with_a_message_that_says_what_is_wrong(string json, string expected)
    {
        Assert.StartsWith(expected, Fail(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_stable_within_a_run_and_new_for_a_new_run_or_campaign()
    {
        const string Items = """[{"Address":"+14155550100","FirstName":"Mary"},{"Address":"+14155550101"}]""";
        string[] Keys(string json) => [.. Planner.Plan(Parse(json)).Sends.Select(s => s.IdempotencyKey)];

        var first = Keys(Batch(Items));

        Assert.Equal(first, Keys(Batch(Items)));
        Assert.Empty(first.Intersect(Keys(Batch(Items, runId: "run-2"))));
        Assert.Empty(first.Intersect(Keys(Batch(Items, campaignId: "autumn-sale"))));
        Assert.Equal(2, first.Distinct().Count());
    }

    [Fact]
    public void A_batch_key_is_not_the_key_of_a_Pinpoint_event_with_the_same_ids()
    {
        var batch = Planner.Plan(Parse(Batch("""[{"Address":"+14155550100","EndpointId":"e"}]"""))).Sends[0].IdempotencyKey;
        var pinpoint = Planner.Plan(Parse("""{"ApplicationId":"app","CampaignId":"spring-sale","ScheduledTime":"run-1","Data":""" + JsonSerializer.Serialize(Data) + ""","Endpoints":{"e":{"Address":"+14155550100"}}}""")).Sends[0].IdempotencyKey;

        Assert.NotEqual(pinpoint, batch);
    }
}
