using System.Text;
using System.Text.Json;
using WhatsAppChannel.Events;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Events;

/// <summary>An Amazon Connect outbound campaign's Lambda custom action, as AWS documents the request: InvocationMetadata.CampaignContext
/// and Items.CustomerProfiles, each with ProfileId, CustomerData (a JSON string of the Customer Profile) and IdempotencyToken.</summary>
public sealed class ConnectActionTests
{
    private const string Data = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{Profile.FirstName|there}}"},{"type":"text","text":"{{Profile.Attributes.Item}} to {{Profile.Address.City|your city}}"}]}]}""";

    private static readonly DeliveryPlanner Planner = new(new PhoneNumberNormalizer(null), new LanguageSelector("en_US", useEndpointLocale: false));

    /// <summary>AWS's example request, verbatim but for the profiles.</summary>
    private static string Action(params (string ProfileId, object Profile, string Token)[] profiles) => JsonSerializer.Serialize(new
    {
        InvocationMetadata = new { CampaignContext = new { CampaignId = "campaign-12345", RunId = "run-67890", ActionId = "activity-abc123", CampaignName = "Welcome Campaign" } },
        Items = new
        {
            CustomerProfiles = profiles.Select(p => new
            {
                p.ProfileId,
                CustomerData = p.Profile as string ?? JsonSerializer.Serialize(p.Profile),
                IdempotencyToken = p.Token,
            }),
        },
    });

    private static CampaignEvent Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    private static CampaignEvent WithData(CampaignEvent campaign, string data = Data) => campaign with { Template = EventParser.ParseData(data) };

    private static CampaignEvent Unpersonalized(CampaignEvent campaign) => WithData(campaign, """{"templateName":"hello_world"}""");

    private static string Fail(string json) => Assert.Throws<InvalidEventException>(() => Parse(json)).Message;

    [Fact]
    public void AWSs_example_request_parses_and_its_profiles_without_a_number_fail()
    {
        const string Example = """
            { "InvocationMetadata": { "CampaignContext": { "CampaignId": "campaign-12345", "RunId": "run-67890", "ActionId": "activity-abc123", "CampaignName": "Welcome Campaign" } },
              "Items": { "CustomerProfiles": [
                { "ProfileId": "customer-001", "CustomerData": "{\"firstName\":\"John\",\"lastName\":\"Doe\",\"email\":\"john.doe@example.com\"}", "IdempotencyToken": "token-xyz789" },
                { "ProfileId": "customer-002", "CustomerData": "{\"firstName\":\"Jane\",\"lastName\":\"Smith\",\"email\":\"jane.smith@example.com\"}", "IdempotencyToken": "token-abc456" } ] } }
            """;

        var campaign = Parse(Example);

        Assert.Equal(EventShape.ConnectCampaignAction, campaign.Shape);
        Assert.Null(campaign.Template);
        Assert.Equal("Welcome Campaign", campaign.DataName);
        Assert.Equal(TimeSpan.FromSeconds(28), campaign.AnswerWithin);
        Assert.Equal(["customer-001", "customer-002"], campaign.Endpoints.Select(e => e.Id));
        Assert.Equal("John", EndpointFields.Resolve(campaign.Endpoints[0], "Profile.FirstName")); // camelCase read as Customer Profiles' PascalCase
        var plan = Planner.Plan(WithData(campaign));
        Assert.Empty(plan.Sends);
        Assert.All(plan.Decided, r =>
        {
            Assert.Equal(EndpointStatus.Failed, r.Status);
            Assert.Equal(FailureReasons.NoPhoneNumber, r.Reason);
        });
    }

    [Fact]
    public void The_number_is_PhoneNumber_then_mobile_then_home_then_business()
    {
        var campaign = Parse(Action(
            ("all", new { PhoneNumber = "+14155550100", MobilePhoneNumber = "+14155550199" }, "t1"),
            ("mobile", new { MobilePhoneNumber = "+14155550101", HomePhoneNumber = "+14155550198" }, "t2"),
            ("home", new { PhoneNumber = " ", HomePhoneNumber = "+14155550102", BusinessPhoneNumber = "+14155550197" }, "t3"),
            ("business", new { BusinessPhoneNumber = "+14155550103" }, "t4"),
            ("none", new { EmailAddress = "x@example.com" }, "t5")));

        Assert.Equal(["+14155550100", "+14155550101", "+14155550102", "+14155550103", null], campaign.Endpoints.Select(e => e.Address));
        Assert.Equal(FailureReasons.NoPhoneNumber, campaign.Endpoints[4].Rejection);
    }

    [Fact]
    public void Profile_fields_fill_placeholders_with_the_usual_fallbacks()
    {
        var plan = Planner.Plan(WithData(Parse(Action(
            ("mary", new { FirstName = "Mary", PhoneNumber = "+14155550100", Attributes = new { Item = "hat" }, Address = new { City = "Leeds" } }, "t1"),
            ("anon", new { PhoneNumber = "+14155550101", Attributes = new { Item = "scarf" } }, "t2"),
            ("noitem", new { PhoneNumber = "+14155550102" }, "t3")))));

        Assert.Equal(["Mary", "hat to Leeds"], TextParameters(plan.Sends.Single(s => s.EndpointId == "mary")));
        Assert.Equal(["there", "scarf to your city"], TextParameters(plan.Sends.Single(s => s.EndpointId == "anon")));
        var skipped = Assert.Single(plan.Decided);
        Assert.Equal(("noitem", EndpointStatus.Skipped, "missing-value:Profile.Attributes.Item"), (skipped.EndpointId, skipped.Status, skipped.Reason));
    }

    [Fact]
    public void The_key_is_the_items_IdempotencyToken()
    {
        var first = Planner.Plan(Unpersonalized(Parse(Action(("p", new { PhoneNumber = "+14155550100" }, "token-xyz789"))))).Sends.Single();
        var again = Planner.Plan(Unpersonalized(Parse(Action(("other-profile", new { PhoneNumber = "+14155550100", FirstName = "x" }, "token-xyz789"))))).Sends.Single();
        var next = Planner.Plan(Unpersonalized(Parse(Action(("p", new { PhoneNumber = "+14155550100" }, "token-next"))))).Sends.Single();

        Assert.Equal(IdempotencyKeys.ForToken("token-xyz789"), first.IdempotencyKey);
        Assert.Equal(first.IdempotencyKey, again.IdempotencyKey);
        Assert.NotEqual(first.IdempotencyKey, next.IdempotencyKey);
    }

    [Fact]
    public void CustomerData_that_is_not_a_JSON_object_fails_that_profile_only()
    {
        var campaign = Parse(Action(("bad", "{not json", "t1"), ("list", "[1]", "t2"), ("good", new { PhoneNumber = "+14155550100" }, "t3")));

        var plan = Planner.Plan(Unpersonalized(campaign));

        Assert.Equal(["bad", "list", "good"], plan.EndpointOrder);
        Assert.Equal("good", Assert.Single(plan.Sends).EndpointId);
        Assert.All(plan.Decided, r => Assert.Equal((EndpointStatus.Failed, FailureReasons.InvalidCustomerData), (r.Status, r.Reason)));
    }

    [Fact]
    public void Without_its_Data_every_profile_fails_with_the_reason()
    {
        var campaign = Parse(Action(("a", new { PhoneNumber = "+14155550100" }, "t1"), ("b", new { }, "t2"))) with
        {
            DataProblem = "campaign-data-unavailable: no parameter /whatsapp/campaigns/default",
        };

        var plan = Planner.Plan(campaign);

        Assert.Empty(plan.Sends);
        Assert.Equal(["a", "b"], plan.EndpointOrder);
        Assert.All(plan.Decided, r => Assert.Equal((EndpointStatus.Failed, campaign.DataProblem), (r.Status, r.Reason)));
    }

    [Fact]
    public void A_repeated_ProfileId_is_answered_once()
    {
        var campaign = Parse(Action(("p", new { PhoneNumber = "+14155550100" }, "t1"), ("p", new { PhoneNumber = "+14155550101" }, "t2")));

        Assert.Equal("+14155550100", Assert.Single(campaign.Endpoints).Address);
    }

    [Theory]
    [InlineData("""{"InvocationMetadata":{},"Items":{"CustomerProfiles":[]}}""", "InvocationMetadata.CampaignContext is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"RunId":"r"}},"Items":{"CustomerProfiles":[]}}""", "InvocationMetadata.CampaignContext.CampaignId is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c"}},"Items":{"CustomerProfiles":[]}}""", "InvocationMetadata.CampaignContext.RunId is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r"}}}""", "Items.CustomerProfiles is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r"}},"Items":[]}""", "Items.CustomerProfiles is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r"}},"Items":{"CustomerProfiles":{}}}""", "Items.CustomerProfiles must be an array, not an object")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r"}},"Items":{"CustomerProfiles":[{"CustomerData":"{}"}]}}""", "Items.CustomerProfiles[0].ProfileId is missing")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r"}},"Items":{"CustomerProfiles":[{"ProfileId":"a"},7]}}""", "Items.CustomerProfiles[1].ProfileId is missing")]
    public void A_bad_action_fails_with_a_message_that_says_what_is_wrong(string json, string expected)
    {
        Assert.StartsWith(expected, Fail(json), StringComparison.Ordinal);
    }

    private static string[] TextParameters(PlannedSend send)
    {
        using var body = JsonDocument.Parse(send.Body);
        return [.. body.RootElement.GetProperty("template").GetProperty("components")[0].GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("text").GetString()!)];
    }
}
