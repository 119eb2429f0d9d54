using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Tests.TestSupport;
using WhatsAppChannel.TestSupport;

namespace WhatsAppChannel.Tests.Templates;

/// <summary>A template's category from the listing decides where its sends go: MARKETING never to US numbers, and
/// through Meta's Marketing Messages API (<c>POST /{version}/{phone-number-id}/marketing_messages</c>) when asked.</summary>
public sealed class MarketingRouteTests
{
    private const string BusinessAccountId = "102290129340398";

    // summer_sale is MARKETING (an image header, a body without parameters); ordertimeoutnotification is UTILITY.
    private const string SummerSale = """{"templateName":"summer_sale","language":"en_US","params":[{"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/sale.png"}}]}]}""";

    private static readonly string Listing = "{\"data\":" + MetaListing.FirstPageTemplates[..MetaListing.FirstPageTemplates.LastIndexOf(']')]
        + "," + MetaListing.SecondPageTemplates.Trim()[1..] + "}";

    private static Func<GraphCall, GraphReply> Graph(Func<GraphCall, GraphReply?>? send = null) => call =>
        call.Method == "GET" ? GraphReply.Raw(200, Listing)
        : send?.Invoke(call) ?? GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call));

    private static Dictionary<string, string> Settings(Uri baseUrl, bool marketingMessages)
    {
        var settings = ChannelInvoker.Settings(baseUrl);
        settings["WHATSAPP_BUSINESS_ACCOUNT_ID"] = BusinessAccountId;
        if (marketingMessages)
        {
            settings["WHATSAPP_MARKETING_MESSAGES"] = "true";
        }

        return settings;
    }

    private static PinpointEventBuilder Audience(string data) => new PinpointEventBuilder().WithData(data)
        .Add("us", "+14155551001")       // San Francisco
        .Add("ca", "+16135550123")       // Ottawa: +1, not the US
        .Add("uk", "+447700900123");

    [Fact]
    public async Task A_marketing_template_skips_us_numbers_and_sends_the_others_to_messages_by_default()
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph());

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl, marketingMessages: false), Audience(SummerSale), TimeSpan.FromSeconds(10));

        Assert.Equal("skipped", run.Status("us"));
        Assert.Equal("marketing-blocked-us", run.Attribute("us", "whatsapp_reason"));
        Assert.Equal(["sent", "sent"], [run.Status("ca"), run.Status("uk")]);
        var posts = server.Calls.Where(c => c.Method == "POST").ToList();
        Assert.Equal(["16135550123", "447700900123"], posts.Select(c => c.To).Order());
        Assert.All(posts, c => Assert.EndsWith("/messages", c.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_marketing_messages_on_marketing_templates_go_to_marketing_messages_and_others_to_messages()
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph());
        var settings = Settings(server.BaseUrl, marketingMessages: true);

        var marketing = await ChannelInvoker.RunAsync(settings, Audience(SummerSale), TimeSpan.FromSeconds(10), requestId: "m");
        var marketingPosts = server.Calls.Where(c => c.Method == "POST").ToList();
        var utility = await ChannelInvoker.RunAsync(settings, Audience(PinpointEventBuilder.SeedData), TimeSpan.FromSeconds(10), requestId: "u");
        var utilityPosts = server.Calls.Where(c => c.Method == "POST").Skip(marketingPosts.Count).ToList();

        Assert.Equal("marketing-blocked-us", marketing.Attribute("us", "whatsapp_reason"));
        Assert.Equal(2, marketingPosts.Count);
        Assert.All(marketingPosts, c => Assert.Equal($"/v24.0/{ChannelInvoker.PhoneNumberId}/marketing_messages", c.Path));
        Assert.Equal(["sent", "sent", "sent"], utility.EndpointIds.Select(utility.Status));
        Assert.Equal(3, utilityPosts.Count);
        Assert.All(utilityPosts, c => Assert.Equal($"/v24.0/{ChannelInvoker.PhoneNumberId}/messages", c.Path));
    }

    [Theory]
    [InlineData(131049, "marketing-user-limit (131049, permanent)")]
    [InlineData(130472, "marketing-experiment (130472, permanent)")]
    public async Task Marketing_refusals_are_permanent_after_one_attempt_and_named_in_the_reason(int code, string reason)
    {
        await using var server = await ScriptedGraphServer.StartAsync(Graph(call => call.To == "447700900123"
            ? GraphReply.Error(400, code, $"(#{code}) Message not delivered")
            : null));

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl, marketingMessages: true), Audience(SummerSale), TimeSpan.FromSeconds(10));

        Assert.Equal("failed", run.Status("uk"));
        Assert.Equal(reason, run.Attribute("uk", "whatsapp_reason"));
        Assert.Equal(1, run.Attempts("uk"));
        Assert.Single(server.Calls, c => c.To == "447700900123");
        Assert.Equal("sent", run.Status("ca"));
    }

    [Fact]
    public async Task An_unreadable_listing_leaves_category_rules_off_and_sends_everyone_to_messages()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => call.Method == "GET"
            ? GraphReply.Error(403, 200, "(#200) Requires whatsapp_business_management permission")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));

        var run = await ChannelInvoker.RunAsync(Settings(server.BaseUrl, marketingMessages: true), Audience(SummerSale), TimeSpan.FromSeconds(10));

        Assert.Equal(["sent", "sent", "sent"], run.EndpointIds.Select(run.Status));
        Assert.All(server.Calls.Where(c => c.Method == "POST"), c => Assert.EndsWith("/messages", c.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("meta", null, "WHATSAPP_MARKETING_MESSAGES needs WHATSAPP_BUSINESS_ACCOUNT_ID")]
    [InlineData("aws", "1", "WHATSAPP_MARKETING_MESSAGES is for WHATSAPP_TRANSPORT=meta")]
    public void Marketing_messages_without_a_listing_or_on_aws_is_a_configuration_error(string transport, string? businessAccountId, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WHATSAPP_TRANSPORT"] = transport,
            ["FB_BUSINESS_PHONE_ID"] = "1",
            ["FB_APP_TOKEN"] = ChannelInvoker.Token,
            ["AWS_EUMS_PHONE_NUMBER_ID"] = "phone-number-id-1",
            ["AWS_REGION"] = "us-east-1",
            ["WHATSAPP_BUSINESS_ACCOUNT_ID"] = businessAccountId,
            ["WHATSAPP_MARKETING_MESSAGES"] = "true",
        };

        var error = Assert.Throws<ConfigurationException>(() => FunctionConfiguration.FromLookup(settings.GetValueOrDefault));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("14155551001", true)]
    [InlineData("12125550123", true)]
    [InlineData("16135550123", false)] // Canada
    [InlineData("18765550123", false)] // Jamaica
    [InlineData("447700900123", false)]
    [InlineData("1", false)]
    public void United_states_means_plus_one_with_a_us_area_code(string digits, bool unitedStates) =>
        Assert.Equal(unitedStates, PhoneNumberNormalizer.IsUnitedStates(digits));

    [Fact]
    public void Only_a_marketing_category_changes_the_sends()
    {
        PlannedSend[] sends = [new("us", "14155551001", [], "k1"), new("uk", "447700900123", [], "k2")];

        var (utility, none) = MarketingRoute.Apply(sends, "UTILITY", viaMarketingMessages: true);
        var (unknown, alsoNone) = MarketingRoute.Apply(sends, null, viaMarketingMessages: true);
        var (marketing, blocked) = MarketingRoute.Apply(sends, "MARKETING", viaMarketingMessages: true);

        Assert.Same(sends, utility);
        Assert.Same(sends, unknown);
        Assert.Empty(none);
        Assert.Empty(alsoNone);
        var kept = Assert.Single(marketing);
        Assert.True(kept.ViaMarketingMessages);
        Assert.Equal("uk", kept.EndpointId);
        var skipped = Assert.Single(blocked);
        Assert.Equal((EndpointStatus.Skipped, SkipReasons.MarketingBlockedUs), (skipped.Status, skipped.Reason));
    }
}
