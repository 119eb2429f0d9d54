using System.Net;
using System.Text.Json.Nodes;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

public sealed class SendAndRenderTests : IAsyncLifetime
{
    private const string SeedText = "Hi Tuohumai, the  Champion T Shirt in your order is not paid yet. Go to pay the order and get extra points!";

    private readonly List<SandboxMessage> _notified = [];
    private SandboxServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync(new SandboxOptions
    {
        PairRateWindow = null,
        OnAccepted = message =>
        {
            lock (_notified)
            {
                _notified.Add(message);
            }
        },
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Base_url_is_loopback_with_a_real_port()
    {
        Assert.Equal("127.0.0.1", _server.BaseUrl.Host);
        Assert.NotEqual(0, _server.BaseUrl.Port);
        Assert.Equal("/", _server.BaseUrl.AbsolutePath);
    }

    [Fact]
    public async Task Seed_request_is_accepted_in_metas_success_shape()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString());

        answer.AssertAccepted();
        var body = answer.Body.AsObject();
        Assert.Equal("whatsapp", body["messaging_product"]!.GetValue<string>());
        Assert.Equal(SeedRecipient, body["contacts"]![0]!["input"]!.GetValue<string>());
        Assert.Equal(SeedRecipient, body["contacts"]![0]!["wa_id"]!.GetValue<string>());
        Assert.Single(body["messages"]!.AsArray());
        Assert.Matches("^wamid\\.[A-Za-z0-9_-]{20,}$", answer.MessageId);
    }

    [Fact]
    public async Task Seed_request_renders_the_text_the_recipient_reads()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString());

        var message = _server.FindMessage(answer.MessageId!);
        Assert.NotNull(message);
        Assert.Equal(SeedText, message.RenderedText);
        Assert.Equal(SeedRecipient, message.To);
        Assert.Equal("ordertimeoutnotification", message.TemplateName);
        Assert.Equal("en_US", message.Language);
        Assert.Equal(["[Pay now]"], message.Buttons);
        Assert.True(message.AcceptedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Seed_request_without_the_button_component_is_accepted()
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "ordertimeoutnotification", "en_US", "Tuohumai", " Champion T Shirt");

        answer.AssertAccepted();
        Assert.Equal(SeedText, _server.FindMessage(answer.MessageId!)!.RenderedText);
    }

    [Fact]
    public async Task Header_body_and_footer_are_rendered_on_their_own_lines()
    {
        var request = TemplateRequest(SeedRecipient, "order_shipped", "en_US", TextComponent("header", "#1042"), Body("Mary", "rain jacket", "Friday"));

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertAccepted();
        Assert.Equal(
            "Order #1042 is on its way\nHi Mary, your rain jacket left our warehouse today and should arrive by Friday.\nReply STOP to stop shipping updates",
            _server.FindMessage(answer.MessageId!)!.RenderedText);
    }

    [Fact]
    public async Task Dynamic_url_button_suffix_is_rendered()
    {
        var request = TemplateRequest(SeedRecipient, "delivery_tracking", "en_US", Body("Mary"), UrlButton(0, "AB12CD"));

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertAccepted();
        var message = _server.FindMessage(answer.MessageId!)!;
        Assert.Equal("Hi Mary, your parcel is with the courier. Use the button below to follow it.", message.RenderedText);
        Assert.Equal(["[Track parcel] https://shop.example.com/track/AB12CD", "[Contact support]"], message.Buttons);
    }

    [Theory]
    [InlineData("en_US", "Hi Ana, you left 2 items in your cart. Complete your purchase today!")]
    [InlineData("pt_BR", "Olá Ana, você deixou 2 items no seu carrinho. Finalize sua compra hoje!")]
    [InlineData("es", "Hola Ana, dejaste 2 items en tu carrito. ¡Completa tu compra hoy!")]
    public async Task Each_translation_renders_in_its_language(string language, string expected)
    {
        var answer = await SendTemplateAsync(_server, SeedRecipient, "cart_reminder", language, "Ana", "2 items");

        answer.AssertAccepted();
        Assert.Equal(expected, _server.FindMessage(answer.MessageId!)!.RenderedText);
    }

    [Fact]
    public async Task Template_without_parameters_needs_no_components()
    {
        var request = TemplateRequest(SeedRecipient, "hello_world", "en_US");
        request["template"]!.AsObject().Remove("components");

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertAccepted();
        Assert.StartsWith("Hello World\nWelcome and congratulations!!", _server.FindMessage(answer.MessageId!)!.RenderedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Currency_parameter_renders_its_fallback_value()
    {
        var request = SeedRequest();
        request["template"]!["components"]![0]!["parameters"]![1] = new JsonObject
        {
            ["type"] = "currency",
            ["currency"] = new JsonObject { ["fallback_value"] = "$10.99", ["code"] = "USD", ["amount_1000"] = 10990 },
        };

        var answer = await PostAsync(_server, request.ToJsonString());

        answer.AssertAccepted();
        Assert.StartsWith("Hi Tuohumai, the $10.99 in your order", _server.FindMessage(answer.MessageId!)!.RenderedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepted_messages_are_listed_in_order_and_can_be_cleared()
    {
        var first = await PostAsync(_server, SeedRequest("15551110001").ToJsonString());
        var second = await SendTemplateAsync(_server, "15551110002", "cart_reminder", "es", "Ana", "2 items");

        var listed = await ListMessagesAsync(_server);

        Assert.Equal([first.MessageId, second.MessageId], listed.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("15551110001", listed[0]!["to"]!.GetValue<string>());
        Assert.Equal("ordertimeoutnotification", listed[0]!["template"]!.GetValue<string>());
        Assert.Equal("en_US", listed[0]!["language"]!.GetValue<string>());
        Assert.Equal(SeedText, listed[0]!["renderedText"]!.GetValue<string>());
        Assert.True(listed[0]!["timestamp"]!.GetValue<DateTimeOffset>() <= listed[1]!["timestamp"]!.GetValue<DateTimeOffset>());
        Assert.Equal([first.MessageId, second.MessageId], _server.Messages.Select(m => m.Id));

        using var cleared = await Http.DeleteAsync(new Uri(_server.BaseUrl, "/_sandbox/messages"));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(await ListMessagesAsync(_server));
    }

    [Fact]
    public async Task Each_accepted_message_is_reported_to_the_callback()
    {
        var answer = await PostAsync(_server, SeedRequest().ToJsonString());

        lock (_notified)
        {
            Assert.Equal(answer.MessageId, Assert.Single(_notified).Id);
        }
    }

    [Fact]
    public async Task Message_ids_are_unique()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var answer = await PostAsync(_server, SeedRequest($"1555222{i:D4}").ToJsonString());
            Assert.True(ids.Add(answer.MessageId!));
        }
    }

    [Fact]
    public void Unknown_message_id_is_not_found() => Assert.Null(_server.FindMessage("wamid.nothing"));

    [Fact]
    public async Task Any_api_version_and_query_string_token_are_accepted()
    {
        using var response = await Http.PostAsync(
            new Uri(_server.BaseUrl, $"/v23.0/{PhoneNumberId}/messages?access_token={Token}"),
            new StringContent(SeedRequest().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
