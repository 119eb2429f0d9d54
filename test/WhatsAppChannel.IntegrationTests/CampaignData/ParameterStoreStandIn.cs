using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WhatsAppChannel.TestSupport;

namespace WhatsAppChannel.IntegrationTests.CampaignData;

/// <summary>
/// The node Parameter Store stand-in (ssm-standin.js) on 127.0.0.1: it recomputes every request's SigV4 signature with
/// @smithy/signature-v4 from the credentials given here and answers 403 InvalidSignatureException on a mismatch.
/// </summary>
internal sealed class ParameterStoreStandIn : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDSSMSTANDINEXAMPLE";
    public const string SecretAccessKey = "ssm-standin/SecretAccessKey+EXAMPLE";
    public const string SessionToken = "ssm-standin-session-token";
    public const string Region = "eu-west-1";

    private readonly Process _process;

    private ParameterStoreStandIn(Process process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Endpoint { get; }

    public static async Task<ParameterStoreStandIn> StartAsync(IReadOnlyDictionary<string, string> parameters)
    {
        var root = RepositoryRoot.Path;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "test", "WhatsAppChannel.IntegrationTests", "CampaignData", "ssm-standin.js"));
        start.Environment["NODE_PATH"] = Path.Combine(root, "test", "tools", "node_modules");
        start.Environment["STANDIN_ACCESS_KEY_ID"] = AccessKeyId;
        start.Environment["STANDIN_SECRET_ACCESS_KEY"] = SecretAccessKey;
        start.Environment["STANDIN_SESSION_TOKEN"] = SessionToken;
        start.Environment["STANDIN_REGION"] = Region;
        start.Environment["STANDIN_PARAMETERS"] = JsonSerializer.Serialize(parameters);

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The stand-in exited: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
            var port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
            return new ParameterStoreStandIn(process, port);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>What the stand-in did with each request: "answered NAME" or "rejected TYPE NAME".</summary>
    public async Task<IReadOnlyList<string>> OutcomesAsync()
    {
        using var client = new HttpClient();
        var log = await client.GetFromJsonAsync<JsonArray>(new Uri(Endpoint, "/_standin/requests"));
        return log!.Select(entry => string.Join(' ', new[] { entry!["outcome"], entry["type"], entry["name"] }
            .Where(part => part is not null).Select(part => part!.GetValue<string>()))).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin asks the stand-in to exit; kill it if it does not.
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
