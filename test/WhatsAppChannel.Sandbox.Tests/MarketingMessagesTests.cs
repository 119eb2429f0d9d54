using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

/// <summary><c>POST /{version}/{phone-number-id}/marketing_messages</c>: Meta's Marketing Messages API takes the same body
/// as <c>/messages</c>, for MARKETING templates only.</summary>
public sealed class MarketingMessagesTests
{
    private static async Task<CloudApiAnswer> PostMarketingAsync(SandboxServer server, JsonObject body, string? token = Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, $"/v24.0/{PhoneNumberId}/marketing_messages"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        return new CloudApiAnswer(response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_marketing_template_is_accepted_and_marked_as_sent_through_marketing_messages()
    {
        await using var server = await StartAsync();

        var answer = await PostMarketingAsync(server, TemplateRequest("447700900123", "cart_reminder", "en_US", Body("Ann", "a lamp")));
        var viaMessages = await SendTemplateAsync(server, "447700900124", "cart_reminder", "en_US", "Bo", "a mug");

        answer.AssertAccepted();
        Assert.True(server.FindMessage(answer.MessageId!)!.ViaMarketingMessages);
        Assert.Equal("Hi Ann, you left a lamp in your cart. Complete your purchase today!\n[Not interested]", server.FindMessage(answer.MessageId!)!.RenderedText + "\n" + string.Join('\n', server.FindMessage(answer.MessageId!)!.Buttons));
        viaMessages.AssertAccepted();
        Assert.False(server.FindMessage(viaMessages.MessageId!)!.ViaMarketingMessages);
    }

    [Fact]
    public async Task A_utility_template_is_refused_and_the_token_and_body_are_checked_as_for_messages()
    {
        await using var server = await StartAsync();

        var utility = await PostMarketingAsync(server, TemplateRequest("447700900123", "order_shipped", "en_US",
            TextComponent("header", "A-1"), Body("Ann", "lamp", "Friday")));
        var badToken = await PostMarketingAsync(server, TemplateRequest("447700900123", "cart_reminder", "en_US", Body("Ann", "a lamp")), token: "wrong");
        var badCount = await PostMarketingAsync(server, TemplateRequest("447700900123", "cart_reminder", "en_US", Body("Ann")));

        utility.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("not a MARKETING template", utility.Details, StringComparison.Ordinal);
        badToken.AssertError(HttpStatusCode.Unauthorized, 190);
        badCount.AssertMessagingError(132000);
        Assert.Empty(server.Messages);
    }
}
