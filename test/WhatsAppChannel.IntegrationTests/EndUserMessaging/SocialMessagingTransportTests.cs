using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.IntegrationTests.AwsStandIns;
using WhatsAppChannel.IntegrationTests.Bootstrap;

namespace WhatsAppChannel.IntegrationTests.EndUserMessaging;

/// <summary>The function with <c>WHATSAPP_TRANSPORT=aws</c> against an End User Messaging Social stand-in that verifies
/// SigV4 independently: no Meta token anywhere in the configuration.</summary>
public sealed class SocialMessagingTransportTests
{
    private const string EndpointId = "endpoint-1";
    private static readonly string Recipient = CampaignEvents.Address(1);
    private static readonly AWSCredentials Credentials =
        new SessionAWSCredentials(NodeStandIn.AccessKeyId, NodeStandIn.SecretAccessKey, NodeStandIn.SessionToken);

    [Fact]
    public async Task A_correctly_signed_send_is_accepted_and_AWS_message_id_reported()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();

        var response = await RunAsync(standIn.FunctionSettings(), Credentials);

        var request = Assert.Single(await standIn.RequestsAsync());
        Assert.Equal("accepted", (string?)request["outcome"]);
        Assert.Equal(SocialMessagingStandIn.OriginationId, (string?)request["originationPhoneNumberId"]);
        Assert.Equal("v24.0", (string?)request["metaApiVersion"]);
        Assert.Equal(Recipient, (string?)request["to"]);
        Assert.Equal("sent", Attribute(response, "whatsapp_status"));
        Assert.Equal((string?)request["messageId"], Attribute(response, "whatsapp_message_id"));
        Assert.Equal("1", Attribute(response, "whatsapp_attempts"));
    }

    [Fact]
    public async Task A_wrong_secret_key_fails_the_signature_check_and_is_not_retried()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();

        var response = await RunAsync(
            standIn.FunctionSettings(), new SessionAWSCredentials(NodeStandIn.AccessKeyId, "not-the-secret-key", NodeStandIn.SessionToken));

        var request = Assert.Single(await standIn.RequestsAsync());
        Assert.Equal("InvalidSignatureException", (string?)request["type"]);
        Assert.Equal("failed", Attribute(response, "whatsapp_status"));
        Assert.Equal("InvalidSignatureException", Attribute(response, "whatsapp_error_code"));
    }

    [Fact]
    public async Task The_message_blob_is_the_graph_transport_body_byte_for_byte()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();
        await using var graph = await RecordingGraphServer.StartAsync();
        var meta = new Dictionary<string, string?>
        {
            ["FB_BUSINESS_PHONE_ID"] = "100000000000001",
            ["FB_APP_TOKEN"] = "graph-token",
            ["WHATSAPP_API_BASE_URL"] = graph.BaseUrl.AbsoluteUri,
        };

        await RunAsync(meta, Credentials);
        await RunAsync(standIn.FunctionSettings(), Credentials);

        var graphBody = Assert.Single(graph.Bodies);
        var blob = Convert.FromBase64String((string)Assert.Single(await standIn.RequestsAsync())["message"]!);
        Assert.Equal(graphBody, blob);
        Assert.Contains("Mary", Encoding.UTF8.GetString(blob), StringComparison.Ordinal);
    }

    public static TheoryData<SocialMessagingFault, string, string> PermanentErrors => new()
    {
        { new("*", 400, "InvalidParametersException", "(#131026) Message Undeliverable"), "131026", "InvalidParametersException: (#131026) Message Undeliverable" },
        { new("*", 400, "ValidationException", "1 validation error detected", "__type"), "ValidationException", "ValidationException: 1 validation error detected" },
        { new("*", 404, "ResourceNotFoundException", "Phone number not found", "code"), "ResourceNotFoundException", "ResourceNotFoundException: Phone number not found" },
        { new("*", 403, "AccessDeniedException", "not authorized to perform: social-messaging:SendWhatsAppMessage"), "AccessDeniedException", "AccessDeniedException: not authorized to perform: social-messaging:SendWhatsAppMessage" },
        { new("*", 403, "AccessDeniedByMetaException", "Meta denied access"), "AccessDeniedByMetaException", "AccessDeniedByMetaException: Meta denied access" },
    };

    [Theory]
    [MemberData(nameof(PermanentErrors))]
    public async Task A_permanent_error_fails_the_endpoint_after_one_attempt(SocialMessagingFault fault, string code, string reason)
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync(fault);

        var response = await RunAsync(standIn.FunctionSettings(), Credentials);

        Assert.Single(await standIn.RequestsAsync());
        Assert.Equal("failed", Attribute(response, "whatsapp_status"));
        Assert.Equal(code, Attribute(response, "whatsapp_error_code"));
        Assert.Equal(reason, Attribute(response, "whatsapp_reason"));
        Assert.Equal("1", Attribute(response, "whatsapp_attempts"));
    }

    public static TheoryData<SocialMessagingFault> TransientErrors => new()
    {
        new("*", 429, "ThrottledRequestException", "Rate exceeded", Times: 2),
        new("*", 500, "InternalServiceException", "Internal error", "__type", Times: 2),
        new("*", 502, "DependencyException", "Meta did not answer", "code", Times: 2),
    };

    [Theory]
    [MemberData(nameof(TransientErrors))]
    public async Task A_transient_error_is_retried_within_the_deadline_and_the_message_sent(SocialMessagingFault fault)
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync(fault);

        var response = await RunAsync(standIn.FunctionSettings(), Credentials);

        var requests = await standIn.RequestsAsync();
        Assert.Equal(["rejected", "rejected", "accepted"], requests.Select(r => (string?)r["outcome"]));
        Assert.Equal("sent", Attribute(response, "whatsapp_status"));
        Assert.Equal("3", Attribute(response, "whatsapp_attempts"));
        Assert.Equal((string?)requests[2]["messageId"], Attribute(response, "whatsapp_message_id"));
    }

    public static TheoryData<SocialMessagingFault, string> UncertainAnswers => new()
    {
        { SocialMessagingFault.Hang("*", TimeSpan.FromSeconds(15)), "timeout" },
        { new("*", 502, "", "", "none", Times: 1), "502" },
        { new("*", 504, "", "", "none", Times: 1), "504" },
    };

    [Theory]
    [MemberData(nameof(UncertainAnswers))]
    public async Task An_answer_that_proves_nothing_is_delivery_unknown_and_never_resent(SocialMessagingFault fault, string code)
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync(fault);

        var response = await RunAsync(standIn.FunctionSettings(), Credentials, TimeSpan.FromSeconds(6));

        Assert.Single(await standIn.RequestsAsync());
        Assert.Equal("failed", Attribute(response, "whatsapp_status"));
        Assert.Equal("delivery-unknown", Attribute(response, "whatsapp_reason"));
        Assert.Equal(code, Attribute(response, "whatsapp_error_code"));
        Assert.Equal("1", Attribute(response, "whatsapp_attempts"));
    }

    [Fact]
    public async Task An_unknown_origination_number_is_reported_as_not_found()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();
        var settings = standIn.FunctionSettings();
        settings["AWS_EUMS_PHONE_NUMBER_ID"] = "phone-number-id-00000000000000000000000000000000";

        var response = await RunAsync(settings, Credentials);

        Assert.Equal("failed", Attribute(response, "whatsapp_status"));
        Assert.Equal("ResourceNotFoundException", Attribute(response, "whatsapp_error_code"));
    }

    private static async Task<JsonElement> RunAsync(Dictionary<string, string?> settings, AWSCredentials credentials, TimeSpan? timeout = null)
    {
        var configuration = FunctionConfiguration.FromLookup(name => settings.GetValueOrDefault(name));
        var options = new ChannelFunctionOptions { AwsCredentials = credentials, RetryBaseDelay = TimeSpan.FromMilliseconds(20) };
        await using var function = ChannelFunction.Create(configuration, TextWriter.Null, options);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(CampaignEvents.Create("aws-transport", (EndpointId, Recipient))));
        await using var output = await function.HandleAsync(input, new InvocationContext("req-aws", DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20))), CancellationToken.None);
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }

    private static string? Attribute(JsonElement response, string name) =>
        response.GetProperty(EndpointId).GetProperty("EventAttributes").TryGetProperty(name, out var value) ? value.GetString() : null;
}
