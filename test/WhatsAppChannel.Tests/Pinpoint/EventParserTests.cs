using System.Text;
using System.Text.Json;
using WhatsAppChannel.Pinpoint;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Pinpoint;

public sealed class EventParserTests
{
    private static string SamplePath(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private static CampaignEvent Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Fail(string json) => Assert.Throws<InvalidEventException>(() => Parse(json)).Message;

    private static readonly string GoodData = JsonSerializer.Serialize("""{"templateName":"t","params":[]}""");

    [Fact]
    public void The_seed_campaign_event_parses_verbatim()
    {
        var campaign = EventParser.Parse(File.ReadAllBytes(SamplePath("campaign-event.json")));

        Assert.Equal("ordertimeoutnotification", campaign.TemplateName);
        Assert.Null(campaign.Language);
        Assert.Equal("54115c33de414441b604a71f59a2ccc3", campaign.CampaignOrJourneyId);
        var endpoint = Assert.Single(campaign.Endpoints);
        Assert.Equal("8613800138000", endpoint.Address);
        Assert.Equal("ACTIVE", endpoint.EndpointStatus);
        Assert.Equal("NONE", endpoint.OptOut);
        Assert.Equal("en_US", endpoint.Locale);
        var components = campaign.Components!.Value;
        Assert.Equal(2, components.GetArrayLength());
        Assert.Equal("Tuohumai", components[0].GetProperty("parameters")[0].GetProperty("text").GetString());
        Assert.Equal("quick_reply", components[1].GetProperty("sub_type").GetString());
    }

    [Fact]
    public void A_journey_event_uses_the_journey_id()
    {
        var campaign = EventParser.Parse(File.ReadAllBytes(SamplePath("journey-event.json")));

        Assert.Null(campaign.Source.CampaignId);
        Assert.Equal("2bd5a3cb0d6c4f3b9d1e5a1c7e4f1a21", campaign.CampaignOrJourneyId);
        Assert.Equal("en_US", campaign.Language);
        Assert.Equal(["journey-endpoint-1", "journey-endpoint-2"], campaign.Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_components_pass_through_unchanged()
    {
        var campaign = Parse("""{"Extra":{"a":[1,2]},"Data":"{\"templateName\":\"t\",\"future\":1,\"params\":[{\"type\":\"body\",\"x\":{\"n\":1.50}}]}","Endpoints":{"e":{"Address":"+14155550123","New":true}}}""");

        Assert.Equal("""[{"type":"body","x":{"n":1.50}}]""", campaign.Components!.Value.GetRawText());
    }

    [Theory]
    [InlineData("", "the event is empty")]
    [InlineData("   \n", "the event is empty")]
    [InlineData("null", "the event is null")]
    [InlineData("not json", "the event is not JSON")]
    [InlineData("{\"Endpoints\": {", "the event is not JSON")]
    [InlineData("[1,2]", "the event must be a JSON object")]
    [InlineData("42", "the event must be a JSON object")]
    [InlineData("{\"Data\":\"x\"}", "Endpoints is missing")]
    [InlineData("{\"Data\":\"x\",\"Endpoints\":null}", "Endpoints is missing")]
    [InlineData("{\"Data\":\"x\",\"Endpoints\":[]}", "Endpoints must be an object")]
    [InlineData("{\"Data\":\"x\",\"Endpoints\":\"e\"}", "Endpoints must be an object")]
    [InlineData("{\"Endpoints\":{}}", "Data is missing")]
    [InlineData("{\"Data\":{\"templateName\":\"t\"},\"Endpoints\":{}}", "Data must be a string holding JSON, not an object")]
    [InlineData("{\"Data\":\"hello\",\"Endpoints\":{}}", "Data is not JSON")]
    [InlineData("{\"Data\":\"\",\"Endpoints\":{}}", "Data is not JSON")]
    [InlineData("{\"Data\":\"[1]\",\"Endpoints\":{}}", "Data must be a JSON object")]
    [InlineData("{\"Data\":\"{}\",\"Endpoints\":{}}", "Data.templateName is missing")]
    [InlineData("{\"Data\":\"{\\\"templateName\\\":\\\"  \\\"}\",\"Endpoints\":{}}", "Data.templateName is missing")]
    [InlineData("{\"Data\":\"{\\\"templateName\\\":5}\",\"Endpoints\":{}}", "Data.templateName must be a string, not a number")]
    [InlineData("{\"Data\":\"{\\\"templateName\\\":\\\"t\\\",\\\"params\\\":{}}\",\"Endpoints\":{}}", "Data.params must be an array")]
    [InlineData("{\"Data\":\"{\\\"templateName\\\":\\\"t\\\",\\\"language\\\":[]}\",\"Endpoints\":{}}", "Data.language must be a string")]
    [InlineData("{\"CampaignId\":5,\"Data\":\"x\",\"Endpoints\":{}}", "the event does not have the Pinpoint shape at $.CampaignId")]
    public void A_bad_event_fails_with_a_message_that_says_what_is_wrong(string json, string expected)
    {
        var message = Fail(json);

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_type_is_InvalidEvent()
    {
        var ex = Assert.Throws<InvalidEventException>(() => Parse("{}"));
        Assert.Equal("InvalidEvent", ex.ErrorType);
    }

    [Fact]
    public void Deeply_nested_json_is_an_invalid_event_not_a_crash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var message = Fail("""{"Data":"x","Endpoints":{"e":{"Address":"1","X":""" + deep + """}}}""");
        Assert.Contains("not JSON", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_params_means_a_template_without_components()
    {
        var campaign = Parse("""{"Data":"{\"templateName\":\"hello_world\"}","Endpoints":{"e":{"Address":"+14155550123"}}}""");
        Assert.Null(campaign.Components);
    }

    [Fact]
    public void A_repeated_endpoint_id_appears_once_with_its_last_value()
    {
        var campaign = Parse("""{"Data":""" + GoodData + ""","Endpoints":{"a":{"Address":"1"},"b":{"Address":"2"},"a":{"Address":"3"}}}""");

        Assert.Equal(["a", "b"], campaign.Endpoints.Select(e => e.Id));
        Assert.Equal("3", campaign.Endpoints[0].Address);
    }

    [Fact]
    public void Wrongly_typed_endpoint_fields_do_not_fail_the_event()
    {
        var campaign = Parse("""{"Data":""" + GoodData + ""","Endpoints":{"a":{"Address":5,"OptOut":[],"Demographic":"x"},"b":"not an object"}}""");

        Assert.Null(campaign.Endpoints[0].Address);
        Assert.Null(campaign.Endpoints[0].OptOut);
        Assert.Null(campaign.Endpoints[0].Locale);
        Assert.Equal(JsonValueKind.String, campaign.Endpoints[1].Raw.ValueKind);
    }
}
