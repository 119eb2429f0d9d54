using System.Text.Json;
using WhatsAppChannel.IntegrationTests.AwsStandIns;

namespace WhatsAppChannel.IntegrationTests.Secrets;

/// <summary>
/// The node Secrets Manager stand-in (secretsmanager-standin.js) on 127.0.0.1: it recomputes every request's SigV4
/// signature with @smithy/signature-v4 from the credentials given here and answers 403 InvalidSignatureException on a mismatch.
/// </summary>
internal sealed class SecretsManagerStandIn : IAsyncDisposable
{
    public const string AccessKeyId = NodeStandIn.AccessKeyId;
    public const string SecretAccessKey = NodeStandIn.SecretAccessKey;
    public const string SessionToken = NodeStandIn.SessionToken;
    public const string Region = NodeStandIn.Region;

    private readonly NodeStandIn _node;

    private SecretsManagerStandIn(NodeStandIn node) => _node = node;

    public Uri Endpoint => _node.Endpoint;

    public static async Task<SecretsManagerStandIn> StartAsync(IReadOnlyDictionary<string, string> secrets) =>
        new(await NodeStandIn.StartAsync(
            Path.Combine("Secrets", "secretsmanager-standin.js"),
            new Dictionary<string, string> { ["STANDIN_SECRETS"] = JsonSerializer.Serialize(secrets) }));

    /// <summary>What the stand-in did with each request: "answered" or "rejected" with the AWS error type.</summary>
    public async Task<IReadOnlyList<string>> OutcomesAsync() =>
        (await _node.RequestsAsync()).Select(entry => entry!["outcome"]!.GetValue<string>() + (entry["type"] is { } type ? $" {type}" : "")).ToList();

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
