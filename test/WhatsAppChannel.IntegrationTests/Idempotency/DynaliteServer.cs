using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Idempotency;

/// <summary>A real DynamoDB-compatible server for the tests: dynalite (npm) on a free loopback port,
/// in memory, killed on dispose. Missing node or dynalite fails the tests with a clear message.</summary>
public sealed class DynaliteServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private readonly string _toolsDirectory;
    private readonly string _node;
    private Process? _process;

    public DynaliteServer() : this(Path.Combine(RepositoryRoot.Path, "test", "tools"), "node") { }

    /// <param name="toolsDirectory">The folder holding node_modules/dynalite.</param>
    /// <param name="node">The Node.js executable.</param>
    internal DynaliteServer(string toolsDirectory, string node)
    {
        _toolsDirectory = toolsDirectory;
        _node = node;
    }

    /// <summary>Credentials that look like real ones, so tests can check they never leak into messages.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("AKIDLEDGERTEST", "ledger-secret-key-must-not-leak");

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cli = Path.Combine(_toolsDirectory, "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException(
                $"dynalite is not installed ({cli} is missing): run 'npm ci' in test/tools. The DynamoDB ledger tests need it.");
        }

        // The free port found here could be taken before dynalite binds it: try a few.
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            try
            {
                await StartAsync(cli, port);
                Endpoint = new Uri($"http://127.0.0.1:{port}");
                return;
            }
            catch (TimeoutException e)
            {
                last = e;
                Stop();
            }
        }

        throw new InvalidOperationException($"dynalite did not start: {last?.Message}", last);
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    /// <param name="endpoint">Another address (a closed port, to see a failure); null = this server.</param>
    public AmazonDynamoDBClient CreateClient(Uri? endpoint = null) => DynamoDbLedger.CreateClient(endpoint ?? Endpoint, "us-east-1", Credentials);

    /// <summary>One item as stored (read consistently); empty when there is none.</summary>
    public async Task<Dictionary<string, AttributeValue>> ReadItemAsync(string table, string id)
    {
        using var client = CreateClient();
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["id"] = new AttributeValue { S = id } },
            ConsistentRead = true,
        });
        return response.Item ?? [];
    }

    /// <summary>A client that waits as long as dynalite on a loaded machine may take (30 s a request), for tests whose
    /// subject is not the ledger's own short time limits (those are the production client's, <see cref="CreateClient"/>).</summary>
    public AmazonDynamoDBClient CreatePatientClient() => new(Credentials, new AmazonDynamoDBConfig
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        Timeout = TimeSpan.FromSeconds(30),
        MaxErrorRetry = 2,
        IgnoreConfiguredEndpointUrls = true,
    });

    /// <summary>A fresh table per test, so tests do not see each other's keys.</summary>
    public async Task<string> CreateTableAsync()
    {
        var name = "ledger-" + Guid.NewGuid().ToString("N");
        using var client = CreateClient();
        await client.CreateTableAsync(DynamoDbLedger.CreateTableRequest(name));
        for (var i = 0; i < 100; i++)
        {
            var description = await client.DescribeTableAsync(name);
            if (description.Table.TableStatus == TableStatus.ACTIVE)
            {
                return name;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Table {name} did not become ACTIVE in dynalite.");
    }

    private async Task StartAsync(string cli, int port)
    {
        var start = new ProcessStartInfo(_node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { cli, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{_node} (Node.js) was not found on PATH: the DynamoDB ledger tests run dynalite with it.", e);
        }

        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new TimeoutException($"dynalite exited with code {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"dynalite did not accept connections on port {port} within {StartTimeout.TotalSeconds} s: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _process = null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
