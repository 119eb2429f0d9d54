using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WhatsAppChannel.Sandbox.Tests;

/// <summary>Talks to a running sandbox over real HTTP, building bodies by Meta's documented field names.</summary>
internal static class CloudApiClient
{
    public const string Token = "sandbox-token";
    public const string PhoneNumberId = "100000000000001";
    public const string SeedRecipient = "8613800138000";

    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<CloudApiAnswer> PostAsync(
        SandboxServer server,
        string body,
        string? token = Token,
        string phoneNumberId = PhoneNumberId,
        string version = "v21.0")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, $"/{version}/{phoneNumberId}/messages"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new CloudApiAnswer(response.StatusCode, JsonNode.Parse(text)!, response.Headers.WwwAuthenticate.ToString());
    }

    public static Task<CloudApiAnswer> SendTemplateAsync(SandboxServer server, string to, string template, string language, params string[] bodyParameters) =>
        PostAsync(server, TemplateRequest(to, template, language, Body(bodyParameters)).ToJsonString());

    /// <summary>The seed's request: ordertimeoutnotification with two body parameters and the quick reply payload.</summary>
    public static JsonObject SeedRequest(string to = SeedRecipient) => TemplateRequest(
        to,
        "ordertimeoutnotification",
        "en_US",
        Body("Tuohumai", " Champion T Shirt"),
        new JsonObject
        {
            ["type"] = "button",
            ["sub_type"] = "quick_reply",
            ["index"] = "0",
            ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = "button 0 clicked" }),
        });

    public static JsonObject TemplateRequest(string to, string template, string language, params JsonNode[] components) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["recipient_type"] = "individual",
        ["to"] = to,
        ["type"] = "template",
        ["template"] = new JsonObject
        {
            ["name"] = template,
            ["language"] = new JsonObject { ["code"] = language },
            ["components"] = new JsonArray(components),
        },
    };

    public static JsonObject Body(params string[] texts) => TextComponent("body", texts);

    public static JsonObject TextComponent(string type, params string[] texts) => new()
    {
        ["type"] = type,
        ["parameters"] = new JsonArray([.. texts.Select(text => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = text })]),
    };

    public static JsonObject UrlButton(int index, params string[] texts) => new()
    {
        ["type"] = "button",
        ["sub_type"] = "url",
        ["index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["parameters"] = new JsonArray([.. texts.Select(text => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = text })]),
    };

    public static async Task<JsonArray> ListMessagesAsync(SandboxServer server)
    {
        var text = await Http.GetStringAsync(new Uri(server.BaseUrl, "/_sandbox/messages"));
        return JsonNode.Parse(text)!.AsArray();
    }

    public static async Task<(HttpStatusCode Status, JsonNode Body)> PostFaultsAsync(SandboxServer server, string json)
    {
        using var response = await Http.PostAsync(new Uri(server.BaseUrl, "/_sandbox/faults"), new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public static Task<SandboxServer> StartAsync(SandboxOptions? options = null) =>
        SandboxServer.StartAsync(options ?? new SandboxOptions());
}

internal sealed record CloudApiAnswer(HttpStatusCode Status, JsonNode Body, string WwwAuthenticate)
{
    public int? ErrorCode => Body["error"]?["code"]?.GetValue<int>();

    public string? Details => Body["error"]?["error_data"]?["details"]?.GetValue<string>();

    public string? MessageId => Body["messages"]?[0]?["id"]?.GetValue<string>();

    public void AssertError(HttpStatusCode status, int code)
    {
        Assert.True(Status == status && ErrorCode == code, $"expected HTTP {(int)status} code {code}, got HTTP {(int)Status}: {Body.ToJsonString()}");
        var error = Body["error"]!.AsObject();
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["type"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["fbtrace_id"]!.GetValue<string>()));
    }

    public void AssertMessagingError(int code)
    {
        AssertError(HttpStatusCode.BadRequest, code);
        Assert.Equal("OAuthException", Body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith($"(#{code}) ", Body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("whatsapp", Body["error"]!["error_data"]!["messaging_product"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(Details));
    }

    public void AssertAccepted()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected HTTP 200, got HTTP {(int)Status}: {Body.ToJsonString()}");
        Assert.StartsWith("wamid.", MessageId, StringComparison.Ordinal);
    }
}
