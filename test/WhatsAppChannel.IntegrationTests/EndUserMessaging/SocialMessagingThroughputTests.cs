using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using WhatsAppChannel.Events;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.IntegrationTests.AwsStandIns;
using WhatsAppChannel.IntegrationTests.Bootstrap;

namespace WhatsAppChannel.IntegrationTests.EndUserMessaging;

/// <summary>The aws transport and the number's throughput budget: AWS throttling a send shrinks the budget as Meta's 130429
/// does over Graph, and <c>Data.phoneNumberId</c> picks the origination number.</summary>
public sealed class SocialMessagingThroughputTests
{
    private const string EndpointId = "endpoint-1";
    private const string Template =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"}]}]""";

    private static readonly AWSCredentials Credentials =
        new SessionAWSCredentials(NodeStandIn.AccessKeyId, NodeStandIn.SecretAccessKey, NodeStandIn.SessionToken);

    public static TheoryData<SocialMessagingFault, string> Throttling => new()
    {
        { new("*", 429, "ThrottledRequestException", "Rate exceeded", Times: 1), "ThrottledRequestException" },
        { new("*", 400, "ThrottlingException", "Rate exceeded", "__type", Times: 1), "ThrottlingException" },
        { new("*", 429, "ThrottledRequestException", "(#130429) Rate limit hit: Cloud API message throughput has been reached.", "code", Times: 1), "130429" },
    };

    [Theory]
    [MemberData(nameof(Throttling))]
    public async Task Throttling_halves_the_numbers_share_and_the_message_still_goes_out(SocialMessagingFault fault, string code)
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync(fault);

        var (response, log) = await RunAsync(standIn.FunctionSettings(), Data(phoneNumberId: null));

        Assert.Equal(["rejected", "accepted"], (await standIn.RequestsAsync()).Select(r => (string?)r["outcome"]));
        Assert.Equal("sent", Attribute(response, "whatsapp_status"));
        var shrink = Assert.Single(log, line => line.GetProperty("message").GetString()!.StartsWith("throughput exceeded", StringComparison.Ordinal));
        Assert.Equal(SocialMessagingStandIn.OriginationId, shrink.GetProperty("phoneNumberId").GetString());
        Assert.Equal(code, shrink.GetProperty("code").GetString());
        Assert.Equal(0.5, shrink.GetProperty("share").GetDouble());
    }

    [Fact]
    public async Task An_error_that_is_not_throttling_leaves_the_share_alone()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync(new SocialMessagingFault("*", 500, "InternalServiceException", "Internal error", Times: 1));

        var (response, log) = await RunAsync(standIn.FunctionSettings(), Data(phoneNumberId: null));

        Assert.Equal("sent", Attribute(response, "whatsapp_status"));
        Assert.DoesNotContain(log, line => line.GetProperty("message").GetString()!.StartsWith("throughput exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_phoneNumberId_picks_a_listed_origination_number()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();
        var settings = standIn.FunctionSettings();
        settings["AWS_EUMS_PHONE_NUMBER_IDS"] = SocialMessagingStandIn.OtherOriginationId;

        var (response, log) = await RunAsync(settings, Data(SocialMessagingStandIn.OtherOriginationId));

        var request = Assert.Single(await standIn.RequestsAsync());
        Assert.Equal(SocialMessagingStandIn.OtherOriginationId, (string?)request["originationPhoneNumberId"]);
        Assert.Equal("sent", Attribute(response, "whatsapp_status"));
        var summary = Assert.Single(log, line => line.GetProperty("message").GetString() == "invocation done");
        Assert.Equal(SocialMessagingStandIn.OtherOriginationId, summary.GetProperty("phoneNumberId").GetString());
    }

    [Fact]
    public async Task An_unlisted_origination_number_fails_the_invocation_naming_it_and_nothing_is_sent()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidEventException>(() => RunAsync(standIn.FunctionSettings(), Data(SocialMessagingStandIn.OtherOriginationId)));

        Assert.Contains(SocialMessagingStandIn.OtherOriginationId, error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_EUMS_PHONE_NUMBER_IDS", error.Message, StringComparison.Ordinal);
        Assert.Empty(await standIn.RequestsAsync());
    }

    private static string Data(string? phoneNumberId) =>
        phoneNumberId is null ? Template + "}" : Template + $$""","phoneNumberId":"{{phoneNumberId}}"}""";

    private static async Task<(JsonElement Response, List<JsonElement> Log)> RunAsync(Dictionary<string, string?> settings, string data)
    {
        var configuration = FunctionConfiguration.FromLookup(name => settings.GetValueOrDefault(name));
        var options = new ChannelFunctionOptions { AwsCredentials = Credentials, RetryBaseDelay = TimeSpan.FromMilliseconds(20) };
        using var log = new StringWriter();
        await using var function = ChannelFunction.Create(configuration, TextWriter.Synchronized(log), options);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(new PinpointEventBuilder().WithData(data).Add(EndpointId, CampaignEvents.Address(1)).ToJson()));
        await using var output = await function.HandleAsync(input, new InvocationContext("req-aws", DateTimeOffset.UtcNow.AddSeconds(20)), CancellationToken.None);
        using var document = await JsonDocument.ParseAsync(output);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(line => line.TryGetProperty("message", out _))
            .ToList();
        return (document.RootElement.Clone(), lines);
    }

    private static string? Attribute(JsonElement response, string name) =>
        response.GetProperty(EndpointId).GetProperty("EventAttributes").TryGetProperty(name, out var value) ? value.GetString() : null;
}
