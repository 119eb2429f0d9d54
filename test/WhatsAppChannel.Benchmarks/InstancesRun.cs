using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>N AOT bootstrap processes (each behind its own Runtime API stand-in, as N Lambda instances) send from one
/// number that the sandbox holds to 80 accepted messages in any rolling second (130429 beyond). With the shared budget
/// the processes use the ledger table on dynalite; without, they have no table and each counts alone.</summary>
internal static class InstancesRun
{
    private const int Cap = 80;
    private const int Endpoints = 50;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<Figure>> RunAsync(string aotPath, IReadOnlyList<int> instanceCounts, int messages, CancellationToken cancellationToken)
    {
        const string Name = "Instances on one number capped at 80/s";
        if (!File.Exists(aotPath))
        {
            return [Figure.Missing(Name, "<= 3% throttled, >= 85% of the cap", $"{aotPath} does not exist (run.sh builds it)")];
        }

        using var dynalite = await Dynalite.StartAsync(cancellationToken);
        var figures = new List<Figure>();
        foreach (var instances in instanceCounts)
        {
            foreach (var shared in new[] { true, false })
            {
                var outcome = await RunOnceAsync(aotPath, dynalite, instances, shared, messages, cancellationToken);
                Console.WriteLine($"instances: {instances}, {(shared ? "shared budget" : "each alone")}: {outcome}");
                var name = $"{instances} instance(s), {(shared ? "shared budget (table on dynalite)" : "each alone (no table)")}: msg/s, requests 130429, not sent";
                var judged = shared && instances >= 8;
                figures.Add(new Figure(
                    name,
                    outcome.ToString(),
                    judged ? ">= 68 msg/s (85%), <= 3% throttled, 0 not sent" : "",
                    judged ? outcome.Rate >= Cap * 0.85 && outcome.ThrottledShare <= 0.03 && outcome.NotSent == 0 : null));
            }
        }

        return figures;
    }

    private static async Task<Outcome> RunOnceAsync(string aotPath, Dynalite dynalite, int instances, bool shared, int messages, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(
            new SandboxOptions { MessagesPerSecondCap = Cap, Latency = Latency, PairRateWindow = null }, cancellationToken);
        var table = shared ? await dynalite.CreateTableAsync(cancellationToken) : null;
        var runtimes = new List<RuntimeApiStandIn>();
        var processes = new List<BootstrapProcess>();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var runtimeApi = await RuntimeApiStandIn.StartAsync();
                runtimes.Add(runtimeApi);
                var environment = BootstrapEnvironment.For(runtimeApi, sandbox, sendRatePerSecond: 100_000);
                environment["WHATSAPP_THROUGHPUT_PER_SECOND"] = Cap.ToString(CultureInfo.InvariantCulture);
                environment["FUNCTION_TIMEOUT_SECONDS"] = ((int)InvocationTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                if (table is not null)
                {
                    environment["IDEMPOTENCY_TABLE"] = table;
                    environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Endpoint.AbsoluteUri;
                    environment["AWS_ACCESS_KEY_ID"] = Dynalite.AccessKeyId;
                    environment["AWS_SECRET_ACCESS_KEY"] = Dynalite.SecretAccessKey;
                }

                processes.Add(BootstrapProcess.Start(aotPath, environment));
            }

            // Warm-up: one message per instance (start, connections, the table), then the cap's window empties.
            await Task.WhenAll(runtimes.Select((runtime, i) => InvokeAsync(runtime, EventFactory.Campaign(1, $"warm-{i}", 9000 + i), cancellationToken)));
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
            var acceptedBefore = sandbox.Messages.Count;
            var requestsBefore = sandbox.RequestCount;

            var batchesEach = Math.Max(1, messages / Endpoints / instances);
            var run = $"{(shared ? "shared" : "alone")}-{instances}-{Guid.NewGuid():N}";
            var started = Stopwatch.GetTimestamp();
            var sent = await Task.WhenAll(runtimes.Select(async (runtime, i) =>
            {
                var count = 0;
                for (var batch = 0; batch < batchesEach; batch++)
                {
                    var first = ((i * batchesEach) + batch) * Endpoints % 8000;
                    count += await InvokeAsync(runtime, EventFactory.Campaign(Endpoints, $"{run}-{i}-{batch}", first), cancellationToken);
                }

                return count;
            }));
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var accepted = sandbox.Messages.Count - acceptedBefore;
            var requests = sandbox.RequestCount - requestsBefore;
            return new Outcome(accepted / seconds, requests, requests - accepted, (instances * batchesEach * Endpoints) - sent.Sum());
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            foreach (var runtime in runtimes)
            {
                await runtime.DisposeAsync();
            }
        }
    }

    /// <returns>How many endpoints the invocation reports sent (0 when it failed or did not answer).</returns>
    private static async Task<int> InvokeAsync(RuntimeApiStandIn runtime, byte[] payload, CancellationToken cancellationToken)
    {
        var response = runtime.InvokeAsync(payload, DateTimeOffset.UtcNow + InvocationTimeout);
        var first = await Task.WhenAny(response, Task.Delay(InvocationTimeout + TimeSpan.FromSeconds(10), cancellationToken));
        if (first != response)
        {
            return 0;
        }

        var post = await response;
        return post.Kind == RuntimeApiPostKind.Response ? EventFactory.CountStatuses(post.Body).GetValueOrDefault("sent") : 0;
    }

    private sealed record Outcome(double Rate, int Requests, int Throttled, int NotSent)
    {
        public double ThrottledShare => Requests == 0 ? 0 : (double)Throttled / Requests;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Rate:0.0} msg/s ({Rate / Cap * 100:0}% of the cap), {Throttled} of {Requests} requests 130429 ({ThrottledShare * 100:0.0}%), {NotSent} not sent");
    }

    /// <summary>dynalite (test/tools, <c>npm ci --prefix test/tools</c>) on a free loopback port, in memory.</summary>
    private sealed class Dynalite : IDisposable
    {
        public const string AccessKeyId = "AKIDBENCHMARK";
        public const string SecretAccessKey = "benchmark-secret-key";

        private readonly Process _process;

        private Dynalite(Process process, Uri endpoint)
        {
            _process = process;
            Endpoint = endpoint;
        }

        public Uri Endpoint { get; }

        public static async Task<Dynalite> StartAsync(CancellationToken cancellationToken)
        {
            var cli = Path.Combine(RepositoryPaths.Root, "test", "tools", "node_modules", "dynalite", "cli.js");
            if (!File.Exists(cli))
            {
                throw new InvalidOperationException($"dynalite is not installed ({cli}): run 'npm ci --prefix test/tools'.");
            }

            using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { cli, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                    return new Dynalite(process, new Uri($"http://127.0.0.1:{port}"));
                }
                catch (SocketException) when (DateTimeOffset.UtcNow < deadline)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        public async Task<string> CreateTableAsync(CancellationToken cancellationToken)
        {
            var name = "ledger-" + Guid.NewGuid().ToString("N");
            using var client = DynamoDbLedger.CreateClient(Endpoint, "eu-west-1", new BasicAWSCredentials(AccessKeyId, SecretAccessKey));
            await client.CreateTableAsync(DynamoDbLedger.CreateTableRequest(name), cancellationToken);
            while ((await client.DescribeTableAsync(name, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE)
            {
                await Task.Delay(50, cancellationToken);
            }

            return name;
        }

        public void Dispose()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
        }
    }
}
