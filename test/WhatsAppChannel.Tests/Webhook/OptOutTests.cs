using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Tests.TestSupport;
using static WhatsAppChannel.TestSupport.MetaWebhookSender;

namespace WhatsAppChannel.Tests.Webhook;

public sealed class OptOutTests
{
    private const string Number = "16505551234";
    private readonly WebhookInvoker _webhook = new();

    private async Task<bool> IsOptedOutAsync(string number = Number) =>
        (await _webhook.Ledger.FindOptedOutAsync([NumberHash.Of(number)], CancellationToken.None)).Count == 1;

    private async Task ReplyAsync(string notification) =>
        Assert.Equal(200, (await _webhook.InvokeAsync(Post(notification))).StatusCode);

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("  Stop \\n")]
    [InlineData("UNSUBSCRIBE")]
    public async Task A_stop_text_opts_the_number_out(string text)
    {
        await ReplyAsync(Text(Number, text));

        Assert.True(await IsOptedOutAsync());
    }

    [Theory]
    [InlineData("STOP please")]
    [InlineData("don't stop")]
    [InlineData("S T O P")]
    [InlineData("")]
    public async Task Other_texts_opt_nobody_out(string text)
    {
        await ReplyAsync(Text(Number, text));

        Assert.False(await IsOptedOutAsync());
    }

    [Fact]
    public async Task Start_lifts_an_opt_out()
    {
        await ReplyAsync(Text(Number, "STOP"));
        await ReplyAsync(Text(Number, "start"));

        Assert.False(await IsOptedOutAsync());
    }

    [Fact]
    public async Task A_quick_reply_button_and_an_interactive_reply_count_by_their_text()
    {
        await ReplyAsync(Button(Number, "Stop promotions", "STOP"));
        await ReplyAsync(ButtonReply("447700900123", "unsub-1", "Unsubscribe"));

        Assert.True(await IsOptedOutAsync());
        Assert.True(await IsOptedOutAsync("447700900123"));
    }

    [Fact]
    public async Task Keywords_come_from_the_configuration()
    {
        var webhook = new WebhookInvoker(WebhookInvoker.DefaultSettings());
        webhook.Settings["WHATSAPP_OPT_OUT_KEYWORDS"] = "BAJA, ALTO";
        webhook.Settings["WHATSAPP_OPT_IN_KEYWORDS"] = "ALTA";

        await webhook.InvokeAsync(Post(Text(Number, "STOP")));
        Assert.Empty(await webhook.Ledger.FindOptedOutAsync([NumberHash.Of(Number)], CancellationToken.None));
        await webhook.InvokeAsync(Post(Text(Number, "alto")));
        Assert.Single(await webhook.Ledger.FindOptedOutAsync([NumberHash.Of(Number)], CancellationToken.None));
    }

    [Fact]
    public async Task An_unsigned_stop_records_nothing()
    {
        var answer = await _webhook.InvokeAsync(Post(Text(Number, "STOP"), signature: ""));

        Assert.Equal(401, answer.StatusCode);
        Assert.False(await IsOptedOutAsync());
    }

    [Fact]
    public async Task The_opt_out_is_logged_masked_and_never_with_the_number()
    {
        await ReplyAsync(Text(Number, "STOP"));

        Assert.Contains(_webhook.LogLines, l => l.Contains("\"opt-out recorded\"", StringComparison.Ordinal) && l.Contains("******1234", StringComparison.Ordinal));
        Assert.DoesNotContain(_webhook.LogLines, l => l.Contains(Number, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_next_send_skips_an_opted_out_number_whatever_the_campaign_says()
    {
        await ReplyAsync(Text(Number, "STOP"));
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var campaign = new PinpointEventBuilder().Add("ep-stopped", "+1 650-555-1234").Add("ep-other", "+447700900123");

        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(graph.BaseUrl), campaign, TimeSpan.FromSeconds(30), ledger: _webhook.Ledger);

        Assert.Equal("skipped", run.Status("ep-stopped"));
        Assert.Equal("opted-out-whatsapp", run.Attribute("ep-stopped", "whatsapp_reason"));
        Assert.Equal("sent", run.Status("ep-other"));
        Assert.Equal(["447700900123"], graph.Calls.Select(c => c.To));
    }

    [Fact]
    public async Task After_start_the_number_is_sent_to_again()
    {
        await ReplyAsync(Text(Number, "STOP"));
        await ReplyAsync(Text(Number, "START"));
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());

        var run = await ChannelInvoker.RunAsync(
            ChannelInvoker.Settings(graph.BaseUrl), new PinpointEventBuilder().Add("ep-1", "+16505551234"), TimeSpan.FromSeconds(30), ledger: _webhook.Ledger);

        Assert.Equal("sent", run.Status("ep-1"));
    }

    [Fact]
    public async Task Sends_record_their_campaign_so_the_funnel_counts_them_and_their_opted_out_recipients()
    {
        await using var graph = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var campaign = new PinpointEventBuilder().Add("ep-1", "+16505551234").Add("ep-2", "+447700900123");
        var run = await ChannelInvoker.RunAsync(ChannelInvoker.Settings(graph.BaseUrl), campaign, TimeSpan.FromSeconds(30), ledger: _webhook.Ledger);
        await ReplyAsync(Statuses(Status(run.Attribute("ep-1", "whatsapp_message_id")!, "read")));
        await ReplyAsync(Text(Number, "STOP"));

        var funnel = Assert.Single(await _webhook.Ledger.ReadFunnelsAsync(null, CancellationToken.None));

        Assert.Equal((2, 1, 1, 0, 1), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed, funnel.OptedOut));
    }
}
