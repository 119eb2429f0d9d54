using System.Text.Json.Nodes;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Delivery;

/// <summary>What goes over the wire to the Graph API for the seed example.</summary>
public sealed class GraphRequestTests
{
    private const string SeedEndpointId = "88ec5ed2e7b7e6db9a4bb1ffe9dc6fa4";

    private static PinpointEventBuilder SeedEvent() => new PinpointEventBuilder().Add(SeedEndpointId, "8613800138000", firstName: "Tuohumai");

    [Fact]
    public async Task The_seed_event_posts_the_documented_body_with_a_bearer_token()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(server.BaseUrl), SeedEvent(), TimeSpan.FromSeconds(30));

        Assert.Equal("sent", run.Status(SeedEndpointId));
        var call = Assert.Single(server.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/v24.0/100000000000001/messages", call.Path);
        Assert.Equal("Bearer " + ChannelInvoker.Token, call.Authorization);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        var expected = JsonNode.Parse("""
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"8613800138000","type":"template",
             "template":{"name":"ordertimeoutnotification","language":{"code":"en_US"},
                         "components":[{"type":"body","parameters":[{"type":"text","text":"Tuohumai"},{"type":"text","text":" Champion T Shirt"}]},
                                       {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"button 0 clicked"}]}]},
             "biz_opaque_callback_data":"KEY:54115c33de414441b604a71f59a2ccc3"}
            """.Replace("KEY", SeedIdempotencyKey(), StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(call.Body)), call.Body);
        Assert.Equal(
            ["messaging_product", "recipient_type", "to", "type", "template", "biz_opaque_callback_data"],
            JsonNode.Parse(call.Body)!.AsObject().Select(p => p.Key));
    }

    /// <summary>The seed endpoint's idempotency key: the status webhooks carry it back in biz_opaque_callback_data, followed by
    /// ':' and the campaign id.</summary>
    private static string SeedIdempotencyKey()
    {
        using var keys = new WhatsAppChannel.Planning.IdempotencyKeys(
            "71b0f21869ac444eb0185d43539b97ea", "54115c33de414441b604a71f59a2ccc3", "0", "ecf06111556d4c1ca09b1b197469a61a", "2022-10-08T19:00:16.843Z", PinpointEventBuilder.SeedData);
        return keys.For(SeedEndpointId);
    }

    [Fact]
    public async Task The_version_setting_and_a_base_url_with_a_trailing_slash_give_the_documented_path()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var settings = ChannelInvoker.Settings(new Uri(server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/"), phoneNumberId: "123456789012345");
        settings["WHATSAPP_API_VERSION"] = "v21.0";

        await ChannelInvoker.RunAsync(settings, SeedEvent(), TimeSpan.FromSeconds(30));

        Assert.Equal("/v21.0/123456789012345/messages", Assert.Single(server.Calls).Path);
    }

    [Fact]
    public async Task The_seed_event_is_accepted_by_the_sandbox_and_reads_as_the_template_says()
    {
        await using var sandbox = await WhatsAppChannel.Sandbox.SandboxServer.StartAsync(new WhatsAppChannel.Sandbox.SandboxOptions());

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(sandbox.BaseUrl, token: "sandbox-token"), SeedEvent(), TimeSpan.FromSeconds(30));

        Assert.Equal("sent", run.Status(SeedEndpointId));
        var message = Assert.Single(sandbox.Messages);
        Assert.Equal(run.Attribute(SeedEndpointId, "whatsapp_message_id"), message.Id);
        Assert.Equal("8613800138000", message.To);
        Assert.Contains("Hi Tuohumai, the  Champion T Shirt in your order is not paid yet.", message.RenderedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_the_sandbox_undeliverable_numbers_fail_with_131026_and_server_errors_are_retried()
    {
        await using var sandbox = await WhatsAppChannel.Sandbox.SandboxServer.StartAsync(new WhatsAppChannel.Sandbox.SandboxOptions
        {
            ServerErrorRate = 0.3,
            RandomSeed = 7,
        });
        var pinpointEvent = new PinpointEventBuilder().Add("undeliverable", "+1 415 559 9999");
        for (var i = 0; i < 20; i++)
        {
            pinpointEvent.Add($"endpoint-{i}", $"+1415555{1000 + i}");
        }

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(sandbox.BaseUrl, token: "sandbox-token"), pinpointEvent, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", run.Status("undeliverable"));
        Assert.Equal("131026", run.Attribute("undeliverable", "whatsapp_error_code"));
        var others = pinpointEvent.EndpointIds.Where(id => id != "undeliverable").ToList();
        Assert.All(others, id => Assert.Equal("sent", run.Status(id)));
        Assert.Equal(20, sandbox.Messages.Count);
        Assert.True(others.Sum(run.Attempts) > others.Count, "a 30% server error rate caused no retry");
    }
}
