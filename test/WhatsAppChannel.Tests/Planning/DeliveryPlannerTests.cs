using System.Text;
using System.Text.Json;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Planning;

public sealed class DeliveryPlannerTests
{
    private static readonly DeliveryPlanner Planner = new(new PhoneNumberNormalizer(null), new LanguageSelector("en_US", useEndpointLocale: true));

    private static DeliveryPlan Plan(string endpoints, string data = """{"templateName":"t","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|friend}}"}]}]}""")
    {
        var json = $$"""{"ApplicationId":"app","CampaignId":"c","TreatmentId":"0","ActivityId":"a","ScheduledTime":"s","Data":{{JsonSerializer.Serialize(data)}},"Endpoints":{{endpoints}}}""";
        return Planner.Plan(EventParser.Parse(Encoding.UTF8.GetBytes(json)));
    }

    private static string? SkipReason(DeliveryPlan plan, string id) => plan.Decided.SingleOrDefault(s => s.EndpointId == id)?.Reason;

    [Fact]
    public void Each_skip_rule_gives_its_reason()
    {
        var plan = Plan("""
            {"ok":{"Address":"+14155550100"},
             "out":{"Address":"+14155550101","OptOut":"ALL"},
             "inactive":{"Address":"+14155550102","EndpointStatus":"INACTIVE"},
             "email":{"Address":"mary@example.com","ChannelType":"EMAIL"},
             "bad":{"Address":"12"},
             "none":{},
             "typed":{"Address":14155550103},
             "dup":{"Address":"+1 415 555 0100"},
             "notobject":[1]}
            """);

        Assert.Equal(["ok", "out", "inactive", "email", "bad", "none", "typed", "dup", "notobject"], plan.EndpointOrder);
        Assert.Equal("ok", Assert.Single(plan.Sends).EndpointId);
        Assert.Equal(SkipReasons.OptedOut, SkipReason(plan, "out"));
        Assert.Equal(SkipReasons.Inactive, SkipReason(plan, "inactive"));
        Assert.Equal(SkipReasons.InvalidAddress, SkipReason(plan, "email"));
        Assert.Equal(SkipReasons.InvalidAddress, SkipReason(plan, "bad"));
        Assert.Equal(SkipReasons.InvalidAddress, SkipReason(plan, "none"));
        Assert.Equal(SkipReasons.InvalidAddress, SkipReason(plan, "typed"));
        Assert.Equal(SkipReasons.DuplicateAddress, SkipReason(plan, "dup"));
        Assert.Equal(SkipReasons.InvalidEndpoint, SkipReason(plan, "notobject"));
        Assert.All(plan.Decided, s => Assert.Equal(EndpointStatus.Skipped, s.Status));
    }

    [Fact]
    public void Opted_out_and_inactive_are_case_insensitive_and_other_values_send()
    {
        var plan = Plan("""{"a":{"Address":"+14155550100","OptOut":"all"},"b":{"Address":"+14155550101","EndpointStatus":"inactive"},"c":{"Address":"+14155550102","OptOut":"NONE","EndpointStatus":"ACTIVE"}}""");

        Assert.Equal(SkipReasons.OptedOut, SkipReason(plan, "a"));
        Assert.Equal(SkipReasons.Inactive, SkipReason(plan, "b"));
        Assert.Equal("c", Assert.Single(plan.Sends).EndpointId);
    }

    [Fact]
    public void A_duplicate_is_only_counted_against_an_endpoint_that_is_sent()
    {
        var data = """{"templateName":"t","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"}]}]}""";
        var plan = Plan("""{"noname":{"Address":"+14155550100"},"named":{"Address":"+14155550100","User":{"UserAttributes":{"FirstName":["Ann"]}}}}""", data);

        Assert.Equal("missing-value:User.UserAttributes.FirstName", SkipReason(plan, "noname"));
        Assert.Equal("named", Assert.Single(plan.Sends).EndpointId);
    }

    [Fact]
    public void Each_endpoint_gets_its_own_parameters_and_language_in_its_request_body()
    {
        var plan = Plan("""
            {"a":{"Address":"+5511987654321","Demographic":{"Locale":"pt-BR"},"User":{"UserAttributes":{"FirstName":["Maria"]}}},
             "b":{"Address":"+34612345678","Demographic":{"Locale":"es"},"User":{"UserAttributes":{"FirstName":["José"]}}},
             "c":{"Address":"+14155550100"}}
            """);

        var bodies = plan.Sends.Select(s => JsonDocument.Parse(s.Body).RootElement).ToList();
        Assert.Equal(["5511987654321", "34612345678", "14155550100"], bodies.Select(b => b.GetProperty("to").GetString()));
        Assert.Equal(["pt_BR", "es", "en_US"], bodies.Select(b => b.GetProperty("template").GetProperty("language").GetProperty("code").GetString()));
        Assert.Equal(["Maria", "José", "friend"], bodies.Select(b => b.GetProperty("template").GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public void Idempotency_keys_differ_per_endpoint_and_are_stable_across_plans()
    {
        const string endpoints = """{"a":{"Address":"+14155550100"},"b":{"Address":"+14155550101"}}""";
        var first = Plan(endpoints);
        var second = Plan(endpoints);

        Assert.NotEqual(first.Sends[0].IdempotencyKey, first.Sends[1].IdempotencyKey);
        Assert.Equal(first.Sends.Select(s => s.IdempotencyKey), second.Sends.Select(s => s.IdempotencyKey));
    }

    [Fact]
    public void Skipped_endpoints_show_only_a_masked_address()
    {
        var plan = Plan("""{"out":{"Address":"+14155550101","OptOut":"ALL"}}""");
        Assert.Equal("******0101", plan.Decided[0].MaskedAddress);
    }

    [Theory]
    [InlineData("en-us", "en_US")]
    [InlineData("EN_gb", "en_GB")]
    [InlineData("pt-BR", "pt_BR")]
    [InlineData("es", "es")]
    [InlineData("zh-Hant-TW", "zh_TW")]
    public void Data_language_is_normalized_like_the_default(string language, string expected)
    {
        var plan = Plan("""{"a":{"Address":"+14155550100","Demographic":{"Locale":"fr_FR"}}}""", $$"""{"templateName":"t","language":"{{language}}"}""");

        using var body = JsonDocument.Parse(Assert.Single(plan.Sends).Body);
        Assert.Equal(expected, body.RootElement.GetProperty("template").GetProperty("language").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("English")]
    [InlineData("e")]
    [InlineData("12_US")]
    public void A_Data_language_that_is_no_language_code_makes_the_event_invalid(string language)
    {
        var error = Assert.Throws<InvalidEventException>(() => Plan("""{"a":{"Address":"+14155550100"}}""", $$"""{"templateName":"t","language":"{{language}}"}"""));

        Assert.StartsWith("Data.language", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_placeholder_makes_the_event_invalid_before_any_send_is_planned()
    {
        var error = Assert.Throws<InvalidEventException>(() => Plan(
            """{"a":{"Address":"+14155550100","User":{"UserAttributes":{"FirstName":["Ann"]}}}}""",
            """{"templateName":"t","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}"}]}]}"""));

        Assert.StartsWith("Data.params[0].parameters[0].text has an unclosed placeholder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ambiguous_and_letter_addresses_are_skipped_with_their_reasons()
    {
        var planner = new DeliveryPlanner(new PhoneNumberNormalizer("DE"), new LanguageSelector("en_US", useEndpointLocale: false));
        var json = """{"Data":"{\"templateName\":\"t\"}","Endpoints":{"uk":{"Address":"447911123456"},"us":{"Address":"14155550123"},"de":{"Address":"030 1234567"},"letters":{"Address":"+1-800-FLOWERS"}}}""";

        var plan = planner.Plan(EventParser.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(["14155550123", "49301234567"], plan.Sends.Select(s => s.To));
        Assert.Equal(SkipReasons.AmbiguousAddress, SkipReason(plan, "uk"));
        Assert.Equal(SkipReasons.InvalidAddress, SkipReason(plan, "letters"));
        Assert.Equal("******3456", plan.Decided.Single(s => s.EndpointId == "uk").MaskedAddress);
    }
}
