using System.Text.Json;
using System.Text.Json.Nodes;
using WhatsAppChannel.IntegrationTests.AwsStandIns;

namespace WhatsAppChannel.IntegrationTests.EndUserMessaging;

/// <summary>The node End User Messaging Social stand-in (socialmessaging-standin.js) on 127.0.0.1: verifies SigV4 for
/// service social-messaging, decodes the base64 message and checks it as a Cloud API template message.</summary>
internal sealed class SocialMessagingStandIn : IAsyncDisposable
{
    public const string OriginationId = "phone-number-id-0123456789abcdef0123456789abcdef";
    public const string OtherOriginationId = "phone-number-id-fedcba9876543210fedcba9876543210";

    private readonly NodeStandIn _node;

    private SocialMessagingStandIn(NodeStandIn node) => _node = node;

    public Uri Endpoint => _node.Endpoint;

    public static async Task<SocialMessagingStandIn> StartAsync(params SocialMessagingFault[] faults) =>
        new(await NodeStandIn.StartAsync(
            Path.Combine("EndUserMessaging", "socialmessaging-standin.js"),
            new Dictionary<string, string>
            {
                ["STANDIN_PHONE_NUMBER_IDS"] = $"{OriginationId},{OtherOriginationId}",
                ["STANDIN_FAULTS"] = JsonSerializer.Serialize(faults),
            }));

    /// <summary>The function's variables for the aws transport against this stand-in: no Meta token, no Graph URL.</summary>
    public Dictionary<string, string?> FunctionSettings() => new()
    {
        ["WHATSAPP_TRANSPORT"] = "aws",
        ["AWS_EUMS_PHONE_NUMBER_ID"] = OriginationId,
        ["AWS_REGION"] = NodeStandIn.Region,
        ["AWS_ENDPOINT_URL_SOCIALMESSAGING"] = Endpoint.AbsoluteUri,
        ["SEND_RATE_PER_SECOND"] = "10000",
    };

    /// <summary>What the stand-in did with each request: outcome, type, to, messageId, the decoded message as base64.</summary>
    public async Task<IReadOnlyList<JsonObject>> RequestsAsync() =>
        [.. (await _node.RequestsAsync()).Select(entry => entry!.AsObject())];

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
