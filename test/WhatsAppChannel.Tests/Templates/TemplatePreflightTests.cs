using WhatsAppChannel.Errors;
using WhatsAppChannel.Tests.TestSupport;
using WhatsAppChannel.TestSupport;

namespace WhatsAppChannel.Tests.Templates;

/// <summary>The function against a Graph stand-in serving both the template listing and the sends.</summary>
public sealed class TemplatePreflightTests
{
    private const string BusinessAccountId = "102290129340398";

    private static Func<GraphCall, GraphReply> Graph(Func<GraphCall, GraphReply> listing) => call =>
        call.Method == "GET" && call.Path.EndsWith("/message_templates", StringComparison.Ordinal)
            ? listing(call)
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call));

    private static Dictionary<string, string> Settings(Uri baseUrl)
    {
        var settings = ChannelInvoker.Settings(baseUrl);
        settings["WHATSAPP_BUSINESS_ACCOUNT_ID"] = BusinessAccountId;
        return settings;
    }

    private static PinpointEventBuilder Batch(string data) =>
        new PinpointEventBuilder().WithData(data).Add("a", "+14155551001").Add("b", "+14155551002");

    [Fact]
    public async Task Mismatched_data_fails_as_invalid_event_and_sends_nothing()
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph(_ => GraphReply.Raw(200, MetaListing.Page(MetaListing.FirstPageTemplates, null))));
        var data = """{"templateName":"ordertimeoutnotification","language":"en_US","params":[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]}]}""";

        var error = await Assert.ThrowsAnyAsync<ChannelException>(() => ChannelInvoker.RunAsync(Settings(server.BaseUrl), Batch(data), TimeSpan.FromSeconds(30)));

        Assert.Equal("InvalidEvent", error.ErrorType);
        Assert.Equal("template ordertimeoutnotification (en_US) body expects 2 parameters, Data gives 3", error.Message);
        Assert.DoesNotContain(server.Calls, c => c.Method == "POST");
    }

    [Fact]
    public async Task Listing_follows_paging_on_the_graph_host_with_the_token()
    {
        Uri? baseUrl = null;
        await using var server = await ScriptedGraphServer.StartAsync(Graph(call => call.Number == 1
            ? GraphReply.Raw(200, MetaListing.Page(MetaListing.SecondPageTemplates, $"{baseUrl}v24.0/{BusinessAccountId}/message_templates?after=MjQZD"))
            : GraphReply.Raw(200, MetaListing.Page(MetaListing.FirstPageTemplates, null))));
        baseUrl = server.BaseUrl;

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl), Batch(PinpointEventBuilder.SeedData), TimeSpan.FromSeconds(30));

        var listings = server.Calls.Where(c => c.Method == "GET").ToList();
        Assert.Equal(2, listings.Count);
        Assert.All(listings, c => Assert.Equal("Bearer " + ChannelInvoker.Token, c.Authorization));
        Assert.Equal(2, server.Calls.Count(c => c.Method == "POST"));
        Assert.Equal("sent", run.Status("a"));
    }

    [Fact]
    public async Task A_next_page_off_the_graph_host_is_not_followed_and_sending_goes_on()
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph(_ =>
            GraphReply.Raw(200, MetaListing.Page(MetaListing.SecondPageTemplates, "https://evil.example/v24.0/x/message_templates?after=1"))));

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl), Batch(PinpointEventBuilder.SeedData), TimeSpan.FromSeconds(30));

        Assert.Single(server.Calls, c => c.Method == "GET");
        Assert.Equal(2, server.Calls.Count(c => c.Method == "POST"));
        Assert.Single(run.LogLines, l => l.Contains("template preflight skipped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(403)]
    public async Task An_unreadable_listing_sends_anyway_with_one_warning(int status)
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph(_ =>
            GraphReply.Error(status, 200, "(#200) Requires whatsapp_business_management permission")));

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl), Batch(PinpointEventBuilder.SeedData), TimeSpan.FromSeconds(30));

        Assert.Equal(2, server.Calls.Count(c => c.Method == "POST"));
        var warning = Assert.Single(run.LogLines, l => l.Contains("template preflight skipped", StringComparison.Ordinal));
        Assert.Contains("HTTP " + status, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(ChannelInvoker.Token, string.Join('\n', run.LogLines), StringComparison.Ordinal);
    }
}
