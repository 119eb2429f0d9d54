using System.Text.Json;
using WhatsAppChannel.IntegrationTests.AwsStandIns;

namespace WhatsAppChannel.IntegrationTests.CampaignData;

/// <summary>The node Parameter Store stand-in (ssm-standin.js) on 127.0.0.1, started as every AWS stand-in is: it
/// recomputes every request's SigV4 signature and answers 403 InvalidSignatureException on a mismatch.</summary>
internal sealed class ParameterStoreStandIn : IAsyncDisposable
{
    public const string AccessKeyId = NodeStandIn.AccessKeyId;
    public const string SecretAccessKey = NodeStandIn.SecretAccessKey;
    public const string SessionToken = NodeStandIn.SessionToken;
    public const string Region = NodeStandIn.Region;

    private readonly NodeStandIn _node;

    private ParameterStoreStandIn(NodeStandIn node) => _node = node;

    public Uri Endpoint => _node.Endpoint;

    public static async Task<ParameterStoreStandIn> StartAsync(IReadOnlyDictionary<string, string> parameters) =>
        new(await NodeStandIn.StartAsync(
            Path.Combine("CampaignData", "ssm-standin.js"),
            new Dictionary<string, string> { ["STANDIN_PARAMETERS"] = JsonSerializer.Serialize(parameters) }));

    /// <summary>What the stand-in did with each request: "answered NAME" or "rejected TYPE NAME".</summary>
    public async Task<IReadOnlyList<string>> OutcomesAsync() =>
        (await _node.RequestsAsync()).Select(entry => string.Join(' ', new[] { entry!["outcome"], entry["type"], entry["name"] }
            .Where(part => part is not null).Select(part => part!.GetValue<string>()))).ToList();

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
