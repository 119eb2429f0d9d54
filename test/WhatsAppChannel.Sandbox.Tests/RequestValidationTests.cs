using System.Net;
using System.Text.Json.Nodes;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

public sealed class RequestValidationTests : IAsyncLifetime
{
    private SandboxServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync(new SandboxOptions { PairRateWindow = null });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Missing_token_is_401_with_code_190()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString(), token: null);

        answer.AssertError(HttpStatusCode.Unauthorized, 190);
        Assert.Equal("OAuthException", answer.Body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("invalid_token", answer.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_token_is_401_with_code_190_and_the_token_is_not_echoed()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString(), token: "stolen-secret-value");

        answer.AssertError(HttpStatusCode.Unauthorized, 190);
        Assert.Equal("Invalid OAuth access token - Cannot parse access token", answer.Body["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain("stolen-secret-value", answer.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task Unknown_phone_number_id_is_graph_error_100_subcode_33()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString(), phoneNumberId: "999");

        answer.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal(33, answer.Body["error"]!["error_subcode"]!.GetValue<int>());
        Assert.Equal("GraphMethodException", answer.Body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith("Unsupported post request. Object with ID '999' does not exist", answer.Body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"messaging_product\":\"whatsapp\",")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_json_is_100(string body)
    {
        var answer = await PostAsync(_server, body);

        answer.AssertMessagingError(100);
    }

    [Theory]
    [InlineData("messaging_product", "sms")]
    [InlineData("messaging_product", null)]
    [InlineData("type", "text")]
    [InlineData("type", null)]
    [InlineData("to", null)]
    [InlineData("recipient_type", "group")]
    [InlineData("template", null)]
    public async Task Missing_or_wrong_top_level_field_is_100(string field, string? value)
    {
        var request = SeedRequest();
        if (value is null)
        {
            request.Remove(field);
        }
        else
        {
            request[field] = value;
        }

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(100);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(512)]
    public async Task A_callback_data_string_of_up_to_512_characters_is_accepted(int length)
    {
        var request = SeedRequest();
        request["biz_opaque_callback_data"] = new string('k', length);

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertAccepted();
    }

    [Fact]
    public async Task Callback_data_longer_than_512_characters_is_131009()
    {
        var request = SeedRequest();
        request["biz_opaque_callback_data"] = new string('k', 513);

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(131009);
    }

    [Theory]
    [InlineData("{\"key\":\"abc\"}")]
    [InlineData("42")]
    public async Task Callback_data_that_is_not_a_string_is_131009(string json)
    {
        var request = SeedRequest();
        request["biz_opaque_callback_data"] = JsonNode.Parse(json);

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(131009);
    }

    [Fact]
    public async Task Body_that_is_not_an_object_is_100()
    {
        var answer = await PostAsync(_server, "[1,2]");

        answer.AssertMessagingError(100);
    }

    [Theory]
    [InlineData("+8613800138000")]
    [InlineData("86 138 0013 8000")]
    [InlineData("mary@example.com")]
    [InlineData("1234567890123456")]
    [InlineData("")]
    public async Task Recipient_that_is_not_e164_digits_is_131009(string to)
    {
        var answer = await PostAsync(_server, SeedRequest(to).ToJsonString());

        answer.AssertMessagingError(131009);
    }

    [Fact]
    public async Task Unknown_template_is_132001()
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "no_such_template", "en_US", "x");

        answer.AssertMessagingError(132001);
        Assert.Equal("(#132001) Template name does not exist in the translation", answer.Body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("template name (no_such_template) does not exist in en_US", answer.Details);
    }

    [Fact]
    public async Task Language_the_template_is_not_translated_to_is_132001()
    {
        var request = SeedRequest();
        request["template"]!["language"]!["code"] = "pt_BR";

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(132001);
        Assert.Equal("template name (ordertimeoutnotification) does not exist in pt_BR", answer.Details);
    }

    [Fact]
    public async Task Missing_template_name_or_language_is_100()
    {
        var noName = SeedRequest();
        noName["template"]!.AsObject().Remove("name");
        var noLanguage = SeedRequest();
        noLanguage["template"]!.AsObject().Remove("language");

        (await PostAsync(_server, noName.ToJsonString())).AssertMessagingError(100);
        (await PostAsync(_server, noLanguage.ToJsonString())).AssertMessagingError(100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Wrong_body_parameter_count_is_132000(int count)
    {
        var parameters = Enumerable.Repeat("value", count).ToArray();

        var answer = await SendTemplateAsync(_server, SeedRecipient, "ordertimeoutnotification", "en_US", parameters);

        answer.AssertMessagingError(132000);
        Assert.Equal($"body: number of localizable_params ({count}) does not match the expected number of params (2)", answer.Details);
    }

    [Fact]
    public async Task No_components_for_a_template_with_parameters_is_132000()
    {
        var request = SeedRequest();
        request["template"]!.AsObject().Remove("components");

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(132000);
    }

    [Fact]
    public async Task Parameters_for_a_template_without_any_are_132000()
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "hello_world", "en_US", "unexpected");

        answer.AssertMessagingError(132000);
    }

    [Fact]
    public async Task Missing_header_parameter_is_132000()
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "order_shipped", "en_US", "Mary", "parcel", "Friday");

        answer.AssertMessagingError(132000);
        Assert.StartsWith("header:", answer.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_text_parameter_is_131008(string text)
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "ordertimeoutnotification", "en_US", "Mary", text);

        answer.AssertMessagingError(131008);
        Assert.Equal("Parameter of type text is missing text value", answer.Details);
    }

    [Fact]
    public async Task Text_parameter_without_text_is_131008()
    {
        var request = SeedRequest();
        request["template"]!["components"]![0]!["parameters"]![1]!.AsObject().Remove("text");

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(131008);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("five     spaces")]
    public async Task Text_parameter_with_new_lines_tabs_or_long_spaces_is_132018(string text)
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "ordertimeoutnotification", "en_US", "Mary", text);

        answer.AssertMessagingError(132018);
    }

    [Fact]
    public async Task Image_parameter_in_a_text_body_is_132012()
    {
        var request = SeedRequest();
        request["template"]!["components"]![0]!["parameters"]![1] = new JsonObject
        {
            ["type"] = "image",
            ["image"] = new JsonObject { ["link"] = "https://example.com/a.png" },
        };

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(132012);
    }

    [Fact]
    public async Task Unknown_component_type_is_100()
    {
        var request = SeedRequest();
        request["template"]!["components"]!.AsArray().Add(new JsonObject { ["type"] = "sidebar" });

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(100);
    }

    [Fact]
    public async Task Missing_dynamic_url_button_parameter_is_131008()
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "delivery_tracking", "en_US", "Mary");

        answer.AssertMessagingError(131008);
        Assert.Equal("buttons: Button at index 0 of type Url requires a parameter", answer.Details);
    }

    [Fact]
    public async Task Button_index_the_template_does_not_have_is_131009()
    {
        var request = TemplateRequest(SeedRecipient, "delivery_tracking", "en_US", Body("Mary"), UrlButton(0, "AB12"), UrlButton(5, "x"));

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(131009);
    }

    [Fact]
    public async Task Button_sub_type_that_does_not_match_the_template_is_131009()
    {
        var request = TemplateRequest(SeedRecipient, "ordertimeoutnotification", "en_US", Body("Mary", "shirt"), UrlButton(0, "x"));

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertMessagingError(131009);
    }

    [Fact]
    public async Task Rejected_requests_are_counted_but_not_listed()
    {
        await PostAsync(_server, "{}", token: null);
        await PostAsync(_server, "{}");
        await SendTemplateAsync(_server, SeedRecipient, "no_such_template", "en_US");

        Assert.Equal(3, _server.RequestCount);
        Assert.Empty(_server.Messages);
        Assert.Empty(await ListMessagesAsync(_server));
    }
}
