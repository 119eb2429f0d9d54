using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

/// <summary>
/// <c>GET /{version}/{waba-id}/message_templates</c> as Meta's WhatsApp Business Management API documents it:
/// <c>data[]</c> of templates (name, language, status, category, components, id) and Graph cursor paging
/// (<c>paging.cursors.before/after</c>, <c>paging.next</c> while more remain).
/// </summary>
public sealed class TemplateListingTests
{
    private const string BusinessAccountId = "100000000000002";

    [Fact]
    public async Task Lists_every_template_and_language_of_the_registry_as_approved()
    {
        await using var server = await StartAsync();

        var (status, body) = await GetAsync(server, $"/v24.0/{BusinessAccountId}/message_templates");

        Assert.Equal(HttpStatusCode.OK, status);
        var data = body["data"]!.AsArray();
        Assert.Equal(7, data.Count);
        Assert.All(data, t => Assert.Equal("APPROVED", t!["status"]!.GetValue<string>()));
        Assert.All(data, t => Assert.Matches("^[0-9]+$", t!["id"]!.GetValue<string>()));
        Assert.Equal(
            ["en_US", "es", "pt_BR"],
            data.Where(t => t!["name"]!.GetValue<string>() == "cart_reminder").Select(t => t!["language"]!.GetValue<string>()).Order());
        Assert.Null(body["paging"]!["next"]);
    }

    [Fact]
    public async Task Components_carry_header_body_footer_and_buttons_with_their_placeholders()
    {
        await using var server = await StartAsync();

        var (_, body) = await GetAsync(server, $"/v24.0/{BusinessAccountId}/message_templates?fields=name,language,status,category,components");

        var data = body["data"]!.AsArray();
        var shipped = data.Single(t => t!["name"]!.GetValue<string>() == "order_shipped")!;
        Assert.Equal("UTILITY", shipped["category"]!.GetValue<string>());
        Assert.Null(shipped["id"]); // not asked for in fields
        var components = shipped["components"]!.AsArray();
        Assert.Equal(["HEADER", "BODY", "FOOTER"], components.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Equal("TEXT", components[0]!["format"]!.GetValue<string>());
        Assert.Equal("Order {{1}} is on its way", components[0]!["text"]!.GetValue<string>());
        Assert.Contains("{{3}}", components[1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var tracking = data.Single(t => t!["name"]!.GetValue<string>() == "delivery_tracking")!;
        var buttons = tracking["components"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "BUTTONS")!["buttons"]!.AsArray();
        Assert.Equal("URL", buttons[0]!["type"]!.GetValue<string>());
        Assert.Equal("https://shop.example.com/track/{{1}}", buttons[0]!["url"]!.GetValue<string>());
        Assert.Equal("QUICK_REPLY", buttons[1]!["type"]!.GetValue<string>());

        var seed = data.Single(t => t!["name"]!.GetValue<string>() == "ordertimeoutnotification")!;
        Assert.Equal("MARKETING", seed["category"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_limit_pages_with_cursors_and_next_until_every_entry_was_listed_once()
    {
        await using var server = await StartAsync();
        var seen = new List<string>();
        var pages = 0;

        string? next = new Uri(server.BaseUrl, $"/v24.0/{BusinessAccountId}/message_templates?fields=name,language&limit=3").AbsoluteUri;
        while (next is not null)
        {
            var (status, body) = await GetAsync(server, next);
            Assert.Equal(HttpStatusCode.OK, status);
            pages++;
            var data = body["data"]!.AsArray();
            Assert.InRange(data.Count, 1, 3);
            Assert.False(string.IsNullOrEmpty(body["paging"]!["cursors"]!["after"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(body["paging"]!["cursors"]!["before"]!.GetValue<string>()));
            seen.AddRange(data.Select(t => t!["name"]!.GetValue<string>() + "/" + t!["language"]!.GetValue<string>()));
            next = body["paging"]!["next"]?.GetValue<string>();
            Assert.True(next is null || next.StartsWith(server.BaseUrl.AbsoluteUri, StringComparison.Ordinal), next);
        }

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
    }

    [Fact]
    public async Task Token_is_checked_and_an_unknown_account_is_an_unknown_object()
    {
        await using var server = await StartAsync();

        var (noToken, missing) = await GetAsync(server, $"/v24.0/{BusinessAccountId}/message_templates", token: null);
        var (badToken, bad) = await GetAsync(server, $"/v24.0/{BusinessAccountId}/message_templates", token: "wrong");
        var (unknown, other) = await GetAsync(server, "/v24.0/999/message_templates");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        Assert.Equal(190, missing["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, badToken);
        Assert.Equal(190, bad["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal(100, other["error"]!["code"]!.GetValue<int>());
        Assert.Equal(33, other["error"]!["error_subcode"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("after=not-a-cursor")]
    [InlineData("after=OTk5")] // "999": past the end
    public async Task A_bad_limit_or_cursor_is_an_invalid_parameter(string query)
    {
        await using var server = await StartAsync();

        var (status, body) = await GetAsync(server, $"/v24.0/{BusinessAccountId}/message_templates?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(100, body["error"]!["code"]!.GetValue<int>());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(SandboxServer server, string pathOrUrl, string? token = Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUrl, pathOrUrl));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
