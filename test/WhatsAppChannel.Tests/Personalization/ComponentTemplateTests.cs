using System.Text;
using System.Text.Json;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Personalization;

public sealed class ComponentTemplateTests
{
    private static PinpointEndpoint Endpoint(string id, string json) => new(id, JsonDocument.Parse(json).RootElement.Clone());

    private static ComponentTemplate Compile(string json) => ComponentTemplate.Compile(JsonDocument.Parse(json).RootElement.Clone());

    private static string Render(ComponentTemplate template, PinpointEndpoint endpoint)
    {
        var rendering = template.Render(path => EndpointFields.Resolve(endpoint, path));
        Assert.Null(rendering.SkipReason);
        return Encoding.UTF8.GetString(rendering.Json!);
    }

    private const string Maria = """
        {"Address":"+5511987654321","EndpointStatus":"ACTIVE",
         "Location":{"City":"São Paulo","Country":"BR"},"Demographic":{"Locale":"pt_BR"},
         "Attributes":{"Plan":["gold","silver"],"Empty":[]},"Metrics":{"Points":1250,"Ratio":0.5},
         "User":{"UserId":"maria-1","UserAttributes":{"FirstName":["Maria"]}}}
        """;

    [Theory]
    [InlineData("Address", "+5511987654321")]
    [InlineData("EndpointId", "ep-1")]
    [InlineData("Attributes.Plan", "gold")]
    [InlineData("User.UserId", "maria-1")]
    [InlineData("User.UserAttributes.FirstName", "Maria")]
    [InlineData("Location.City", "São Paulo")]
    [InlineData("Location.Country", "BR")]
    [InlineData("Demographic.Locale", "pt_BR")]
    [InlineData("Metrics.Points", "1250")]
    [InlineData("Metrics.Ratio", "0.5")]
    public void Each_path_kind_resolves_against_the_endpoint(string path, string expected)
    {
        Assert.Equal(expected, EndpointFields.Resolve(Endpoint("ep-1", Maria), path));
    }

    [Theory]
    [InlineData("Attributes.Empty")]
    [InlineData("Attributes.Nope")]
    [InlineData("User")]
    [InlineData("User.UserAttributes.FirstName.Deeper")]
    [InlineData("")]
    [InlineData("...")]
    public void Paths_without_a_value_give_null(string path)
    {
        Assert.Null(EndpointFields.Resolve(Endpoint("ep-1", Maria), path));
    }

    [Fact]
    public void Every_string_inside_params_is_personalized_and_everything_else_passes_through()
    {
        var template = Compile("""
            [{"type":"header","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"}]},
             {"type":"body","parameters":[{"type":"text","text":"Hi {{User.UserAttributes.FirstName}}"},{"type":"currency","currency":{"amount_1000":1500,"code":"EUR"}}]},
             {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"track/{{EndpointId}}"}]},
             {"type":"button","sub_type":"quick_reply","index":1,"parameters":[{"type":"payload","payload":"stop:{{User.UserId}}"}]}]
            """);

        var json = Render(template, Endpoint("ep-1", Maria));

        Assert.True(template.IsPersonalized);
        Assert.Equal(
            """[{"type":"header","parameters":[{"type":"text","text":"Maria"}]},{"type":"body","parameters":[{"type":"text","text":"Hi Maria"},{"type":"currency","currency":{"amount_1000":1500,"code":"EUR"}}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"track/ep-1"}]},{"type":"button","sub_type":"quick_reply","index":1,"parameters":[{"type":"payload","payload":"stop:maria-1"}]}]""",
            json);
    }

    [Theory]
    [InlineData("Tênis \"Corrida\" 42")]
    [InlineData("back\\slash and / slash")]
    [InlineData("emoji 🎉👩‍👩‍👧 ok")]
    [InlineData("עברית RTL مرحبا")]
    [InlineData("中文 日本語 한국어")]
    [InlineData("<script>&amp;</script>")]
    [InlineData("line\nbreak\ttab")]
    public void Values_with_json_metacharacters_and_non_ascii_arrive_exactly(string value)
    {
        var endpoint = Endpoint("e", JsonSerializer.Serialize(new Dictionary<string, object> { ["Attributes"] = new Dictionary<string, string[]> { ["V"] = [value] } }));
        var template = Compile("""[{"type":"body","parameters":[{"type":"text","text":"{{Attributes.V}}"}]}]""");

        var json = Render(template, endpoint);

        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(value, parsed.RootElement[0].GetProperty("parameters")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void A_missing_value_skips_the_endpoint_with_the_path()
    {
        var template = Compile("""[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.LastName}}"}]}]""");

        var rendering = template.Render(path => EndpointFields.Resolve(Endpoint("e", Maria), path));

        Assert.Null(rendering.Json);
        Assert.Equal("missing-value:User.UserAttributes.LastName", rendering.SkipReason);
    }

    [Fact]
    public void Components_without_placeholders_are_serialized_once_and_shared()
    {
        var template = Compile("""[{"type":"body","parameters":[{"type":"text","text":"static"}]}]""");

        var first = template.Render(_ => throw new InvalidOperationException());
        var second = template.Render(_ => throw new InvalidOperationException());

        Assert.False(template.IsPersonalized);
        Assert.Same(first.Json, second.Json);
    }
}
