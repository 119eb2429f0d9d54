using System.Text;
using System.Text.Json;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Pinpoint;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Personalization;

public sealed class ComponentTemplateTests
{
    private static PinpointEndpoint Endpoint(string id, string json) => new(id, JsonDocument.Parse(json).RootElement.Clone());

    private static ComponentTemplate Compile(string json) => ComponentTemplate.Compile(JsonDocument.Parse(json).RootElement.Clone());

    /// <summary>Renders as the planner does: into a writer, the lookup's state passed in.</summary>
    private static (string? Json, string? SkipReason) RenderWith(ComponentTemplate template, Func<string, string?> lookup)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        var skipReason = template.RenderTo(writer, lookup, static (lookup, path) => lookup(path));
        writer.Flush();
        return skipReason is null ? (Encoding.UTF8.GetString(buffer.WrittenSpan), null) : (null, skipReason);
    }

    private static string Render(ComponentTemplate template, PinpointEndpoint endpoint)
    {
        var rendering = RenderWith(template, path => EndpointFields.Resolve(endpoint, path));
        Assert.Null(rendering.SkipReason);
        return rendering.Json!;
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
    [InlineData("four    spaces")]
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

        var rendering = RenderWith(template, path => EndpointFields.Resolve(Endpoint("e", Maria), path));

        Assert.Null(rendering.Json);
        Assert.Equal("missing-value:User.UserAttributes.LastName", rendering.SkipReason);
    }

    [Fact]
    public void Components_without_placeholders_are_written_as_compiled_without_a_lookup()
    {
        var template = Compile("""[{"type":"body","parameters":[{"type":"text","text":"static"}]}]""");

        var first = RenderWith(template, _ => throw new InvalidOperationException());
        var second = RenderWith(template, _ => throw new InvalidOperationException());

        Assert.False(template.IsPersonalized);
        Assert.Equal("""[{"type":"body","parameters":[{"type":"text","text":"static"}]}]""", first.Json);
        Assert.Equal(first.Json, second.Json);
    }

    [Theory]
    [InlineData("1000000000000000000000", "1000000000000000000000")]
    [InlineData("1e21", "1e21")]
    [InlineData("0.1", "0.1")]
    [InlineData("12.50", "12.50")]
    [InlineData("-0", "-0")]
    [InlineData("123456789012345678901234567890.5", "123456789012345678901234567890.5")]
    public void Numbers_render_as_written_in_the_event(string number, string expected)
    {
        Assert.Equal(expected, EndpointFields.Resolve(Endpoint("e", $$$"""{"Attributes":{"N":[{{{number}}}]},"Metrics":{"N":{{{number}}}}}"""), "Metrics.N"));
        Assert.Equal(expected, EndpointFields.Resolve(Endpoint("e", $$$"""{"Attributes":{"N":[{{{number}}}]}}"""), "Attributes.N"));
    }

    [Theory]
    [InlineData("""[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}"}]}]""", "Data.params[0].parameters[0].text", "{{User.UserAttributes.FirstName}")]
    [InlineData("""[{"type":"body","parameters":[{"type":"text","text":"A"},{"type":"text","text":"your {{Attributes.Item|order}"}]}]""", "Data.params[0].parameters[1].text", "{{Attributes.Item|order}")]
    [InlineData("""[{"type":"body","parameters":[{"type":"text","text":"{User.UserAttributes.FirstName}}"}]}]""", "Data.params[0].parameters[0].text", "{User.UserAttributes.FirstName}}")]
    [InlineData("""[{"type":"body","parameters":[{"type":"text","text":"your {Attributes.Item|order}}"}]}]""", "Data.params[0].parameters[0].text", "{Attributes.Item|order}}")]
    [InlineData("""[{"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"payload","payload":"x {{User.UserId"}]}]""", "Data.params[0].parameters[0].payload", "{{User.UserId")]
    [InlineData("""[{"type":"body","parameters":[{"type":"text","text":"{{A}} and {{B} then {{C}}"}]}]""", "Data.params[0].parameters[0].text", "{{B} then ")]
    [InlineData("""[{"type":"body","a\nb":"{{A"}]""", "Data.params[0].a b", "{{A")]
    public void An_unclosed_placeholder_makes_the_event_invalid_naming_where(string components, string path, string excerpt)
    {
        var error = Assert.Throws<InvalidEventException>(() => Compile(components));

        Assert.Equal($"{path} has an unclosed placeholder '{excerpt}': write {{{{Path}}}} or {{{{Path|fallback}}}}", error.Message);
    }

    [Theory]
    [InlineData("line\\nbreak")]
    [InlineData("carriage\\rreturn")]
    [InlineData("a\\ttab")]
    [InlineData("five     spaces")]
    public void A_text_parameter_WhatsApp_would_refuse_skips_the_endpoint(string value)
    {
        var endpoint = Endpoint("e", $$$"""{"Attributes":{"V":["{{{value}}}"]}}""");
        var template = Compile("""[{"type":"body","parameters":[{"type":"text","text":"Hi {{Attributes.V}}"}]}]""");
        var literal = Compile($$"""[{"type":"body","parameters":[{"type":"text","text":"{{value}}"}]}]""");

        Assert.Equal(SkipReasons.InvalidParameter, RenderWith(template, path => EndpointFields.Resolve(endpoint, path)).SkipReason);
        Assert.Equal(SkipReasons.InvalidParameter, RenderWith(literal, _ => null).SkipReason);
    }

    [Fact]
    public void Line_breaks_outside_text_parameters_pass_through()
    {
        var template = Compile("""[{"type":"button","sub_type":"quick_reply","index":0,"parameters":[{"type":"payload","payload":"a\nb     c"}]},{"type":"body","parameters":[{"type":"text","text":"ok"}]}]""");

        var json = Render(template, Endpoint("e", "{}"));

        Assert.Contains("a\\nb     c", json, StringComparison.Ordinal);
    }
}
