using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

/// <summary><c>GET /</c> and the <c>/_sandbox/chats</c> state it polls: per recipient, each accepted message in parts and
/// its latest status as the status webhooks go out (browser rendering: the integration tests' Chromium test).</summary>
public sealed class PreviewPageTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private SandboxOptions Options => new() { PairRateWindow = null, StatusDelay = TimeSpan.FromSeconds(1), Clock = _clock };

    private static async Task<JsonNode> ChatsAsync(SandboxServer server) =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(server.BaseUrl, "/_sandbox/chats")))!;

    [Fact]
    public async Task Chats_group_messages_by_recipient_in_parts_with_their_final_status()
    {
        await using var server = await StartAsync(Options);
        var shipped = await PostAsync(server, TemplateRequest("447700900123", "order_shipped", "en_US", TextComponent("header", "A-17"), Body("Ann", "a lamp", "Friday")).ToJsonString());
        var tracking = await PostAsync(server, TemplateRequest("447700900123", "delivery_tracking", "en_US", Body("Ann"), UrlButton(0, "ZX81")).ToJsonString());
        var limited = await SendTemplateAsync(server, "447700901049", "cart_reminder", "en_US", "Bo", "a mug");
        _clock.Advance(TimeSpan.FromSeconds(3));

        var chats = (await ChatsAsync(server))["chats"]!.AsArray();

        shipped.AssertAccepted();
        tracking.AssertAccepted();
        limited.AssertAccepted();
        Assert.Equal(["447700900123", "447700901049"], chats.Select(c => c!["recipient"]!.GetValue<string>()));
        var ann = chats[0]!["messages"]!.AsArray();
        Assert.Equal("Order A-17 is on its way", ann[0]!["header"]!.GetValue<string>());
        Assert.Equal("Hi Ann, your a lamp left our warehouse today and should arrive by Friday.", ann[0]!["body"]!.GetValue<string>());
        Assert.Equal("Reply STOP to stop shipping updates", ann[0]!["footer"]!.GetValue<string>());
        Assert.Equal("https://shop.example.com/track/ZX81", ann[1]!["buttons"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("Contact support", ann[1]!["buttons"]![1]!["text"]!.GetValue<string>());
        Assert.All(ann, m => Assert.Equal("read", m!["status"]!.GetValue<string>()));
        var bo = Assert.Single(chats[1]!["messages"]!.AsArray())!;
        Assert.Equal(("failed", 131049), (bo["status"]!.GetValue<string>(), bo["errorCode"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Statuses_follow_the_timeline_one_status_delay_apart()
    {
        await using var server = await StartAsync(Options);
        (await SendTemplateAsync(server, "447700900123", "cart_reminder", "en_US", "Ann", "a lamp")).AssertAccepted();

        var seen = new List<string>();
        for (var step = 0; step < 5; step++)
        {
            seen.Add((await ChatsAsync(server))["chats"]![0]!["messages"]![0]!["status"]!.GetValue<string>());
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["accepted", "sent", "delivered", "read", "read"], seen);
    }

    [Fact]
    public async Task With_a_webhook_url_the_page_shows_each_status_as_its_webhook_goes_out()
    {
        // Nothing listens on the webhook URL: the statuses are refused, yet each one went out.
        await using var server = await StartAsync(new SandboxOptions
        {
            PairRateWindow = null,
            StatusDelay = TimeSpan.FromMilliseconds(10),
            WebhookUrl = new Uri("http://127.0.0.1:9/webhook"),
        });
        (await SendTemplateAsync(server, "447700901026", "cart_reminder", "en_US", "Ann", "a lamp")).AssertAccepted();
        using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await server.WaitForStatusWebhooksAsync(drained.Token);
        }

        var message = (await ChatsAsync(server))["chats"]![0]!["messages"]![0]!;

        Assert.Equal(("failed", 131026), (message["status"]!.GetValue<string>(), message["errorCode"]!.GetValue<int>()));
        Assert.Equal((0, 2), server.StatusWebhooks);
    }

    [Fact]
    public async Task The_page_is_self_contained_and_embeds_the_state_safely()
    {
        await using var server = await StartAsync(Options);
        (await SendTemplateAsync(server, "447700900123", "cart_reminder", "en_US", "</script><script>alert(1)</script>", "a lamp")).AssertAccepted();

        using var response = await Http.GetAsync(server.BaseUrl);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("</script>").Length - 1); // the state's and the page's own, nothing injected
        Assert.Contains("447700900123", html, StringComparison.Ordinal);
    }
}
