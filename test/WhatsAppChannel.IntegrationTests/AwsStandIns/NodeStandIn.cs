using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WhatsAppChannel.IntegrationTests.AwsStandIns;

/// <summary>
/// A node stand-in for an AWS service on 127.0.0.1 (a script next to the tests, built on sigv4-verifier.js and
/// standin-server.js): it recomputes every request's SigV4 signature with @smithy/signature-v4 from the credentials
/// given here and refuses a mismatch.
/// </summary>
internal sealed class NodeStandIn : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDSTANDINEXAMPLE";
    public const string SecretAccessKey = "standin/SecretAccessKey+EXAMPLE";
    public const string SessionToken = "standin-session-token";
    public const string Region = "eu-central-1";

    private readonly Process _process;

    private NodeStandIn(Process process, int port)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Endpoint { get; }

    /// <param name="script">Path of the script from the integration tests' folder.</param>
    /// <param name="environment">The script's own settings, besides the credentials and region.</param>
    public static async Task<NodeStandIn> StartAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var root = RepositoryRoot.Path;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "test", "WhatsAppChannel.IntegrationTests", script));
        start.Environment["NODE_PATH"] = Path.Combine(root, "test", "tools", "node_modules");
        start.Environment["STANDIN_ACCESS_KEY_ID"] = AccessKeyId;
        start.Environment["STANDIN_SECRET_ACCESS_KEY"] = SecretAccessKey;
        start.Environment["STANDIN_SESSION_TOKEN"] = SessionToken;
        start.Environment["STANDIN_REGION"] = Region;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The stand-in exited: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
            var port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
            return new NodeStandIn(process, port);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>What the stand-in did with each request (GET /_standin/requests).</summary>
    public async Task<JsonArray> RequestsAsync()
    {
        using var client = new HttpClient();
        return (await client.GetFromJsonAsync<JsonArray>(new Uri(Endpoint, "/_standin/requests")))!;
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
