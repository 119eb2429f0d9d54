using System.Globalization;
using System.Text;
using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Bootstrap;
using WhatsAppChannel.IntegrationTests.Idempotency;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.Throughput;
using Xunit.Abstractions;

namespace WhatsAppChannel.IntegrationTests.Throughput;

/// <summary>Several function instances on one number, against the sandbox holding that number to N accepted messages
/// in any rolling second (130429 beyond, as Meta answers). With the table, the instances share the number's budget;
/// without, each believes it has the whole limit.</summary>
public sealed class SharedBudgetTests(DynaliteServer dynalite, ITestOutputHelper output) : IClassFixture<DynaliteServer>
{
    private const int Cap = 40;
    private const int Instances = 4;
    private const int PerInstance = 40;

    [Fact]
    public async Task Instances_sharing_the_table_send_everything_and_waste_no_more_requests_than_instances_counting_alone()
    {
        var shared = await RunAsync(shareBudget: true);
        var alone = await RunAsync(shareBudget: false);

        output.WriteLine($"shared budget: {shared}");
        output.WriteLine($"each alone:    {alone}");
        Assert.True(Instances * PerInstance == shared.Sent, $"not sent with the shared budget: {shared.NotSent}");
        Assert.Equal(Instances * PerInstance, shared.Accepted);
        Assert.True(shared.Throttled <= alone.Throttled, $"shared {shared.Throttled} vs alone {alone.Throttled} requests answered 130429");
    }

    private async Task<Outcome> RunAsync(bool shareBudget)
    {
        var table = await dynalite.CreateTableAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            MessagesPerSecondCap = Cap,
            Latency = TimeSpan.FromMilliseconds(20),
            PairRateWindow = null,
        });
        var settings = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = new SandboxOptions().PhoneNumberId,
            ["FB_APP_TOKEN"] = new SandboxOptions().AccessToken,
            ["WHATSAPP_API_BASE_URL"] = sandbox.BaseUrl.AbsoluteUri,
            ["WHATSAPP_THROUGHPUT_PER_SECOND"] = Cap.ToString(CultureInfo.InvariantCulture),
            ["SEND_RATE_PER_SECOND"] = "10000",
        };
        var configuration = FunctionConfiguration.FromLookup(settings.GetValueOrDefault);
        var owned = new List<IDisposable>();
        var functions = new List<ChannelFunction>();
        for (var i = 0; i < Instances; i++)
        {
            // Each instance has its own clients, as separate Lambda instances do. Patient ones: four instances on a
            // loaded machine can keep dynalite busy for seconds, and the ledger's timeouts are not this test's subject.
            var ledger = new DynamoDbLedger(dynalite.CreatePatientClient(), table, TimeSpan.FromSeconds(120), TimeSpan.FromDays(1), TimeProvider.System, ownsClient: true);
            owned.Add(ledger);
            IThroughputStore store = shareBudget
                ? new DynamoDbThroughputStore(dynalite.CreatePatientClient(), table, Cap, ownsClient: true)
                : new InProcessThroughputStore(Cap);
            if (store is IDisposable disposable)
            {
                owned.Add(disposable);
            }

            functions.Add(ChannelFunction.Create(configuration, TextWriter.Null, new ChannelFunctionOptions { Ledger = ledger, ThroughputStore = store }));
        }

        try
        {
            var responses = await Task.WhenAll(functions.Select((function, i) => InvokeAsync(function, i)));
            var statuses = responses.SelectMany(r => r).ToList();
            return new Outcome(
                statuses.Count(s => s == "sent"),
                string.Join(", ", statuses.Where(s => s != "sent").GroupBy(s => s, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")),
                sandbox.Messages.Count,
                sandbox.RequestCount - sandbox.Messages.Count,
                sandbox.RequestCount);
        }
        finally
        {
            foreach (var function in functions)
            {
                await function.DisposeAsync();
            }

            owned.ForEach(o => o.Dispose());
        }
    }

    private static async Task<List<string>> InvokeAsync(ChannelFunction function, int instance)
    {
        var endpoints = Enumerable.Range(0, PerInstance).Select(i => ($"e{i}", "+" + CampaignEvents.Address((instance * 1000) + i))).ToArray();
        var payload = Encoding.UTF8.GetBytes(CampaignEvents.Create($"shared-budget-{instance}", endpoints));
        await using var response = await function.HandleAsync(
            new MemoryStream(payload), new InvocationContext($"req-{instance}", DateTimeOffset.UtcNow.AddSeconds(30)), CancellationToken.None);
        using var document = await JsonDocument.ParseAsync(response);
        return [.. document.RootElement.EnumerateObject().Select(p => Outcome.Of(p.Value.GetProperty("EventAttributes")))];
    }

    private sealed record Outcome(int Sent, string NotSent, int Accepted, int Throttled, int Requests)
    {
        /// <summary>"sent", or the status with its reason and error code, so a failure says why.</summary>
        public static string Of(JsonElement attributes)
        {
            var status = attributes.GetProperty("whatsapp_status").GetString()!;
            return status == "sent"
                ? status
                : $"{status} {Read(attributes, "whatsapp_reason")} {Read(attributes, "whatsapp_error_code")}";
        }

        private static string? Read(JsonElement attributes, string name) =>
            attributes.TryGetProperty(name, out var value) ? value.GetString() : null;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Sent} sent, {Requests} requests, {Throttled} answered 130429 ({(Requests == 0 ? 0 : 100.0 * Throttled / Requests):0.0}%)");
    }
}
