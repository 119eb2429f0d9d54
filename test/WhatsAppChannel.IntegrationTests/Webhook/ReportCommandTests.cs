using System.Text.Json;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.IntegrationTests.Idempotency;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Webhook;

/// <summary><c>whatsapp-channel report</c> as a user runs it, over a DynamoDB ledger on dynalite and over the local SQLite ledger.</summary>
public sealed class ReportCommandTests(DynaliteServer dynalite) : IClassFixture<DynaliteServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string TwoCampaignsJson =
        """[{"campaignId":"autumn","sent":1,"delivered":0,"read":0,"failed":1,"failedByCode":{"131026":1},"optedOut":0},{"campaignId":"spring-sale","sent":4,"delivered":2,"read":1,"failed":1,"failedByCode":{"131049":1},"optedOut":1}]""";

    /// <summary>Two campaigns' sends, statuses and one opt-out, as the sender and the webhook record them.</summary>
    private static async Task SeedTwoCampaignsAsync<TLedger>(TLedger ledger)
        where TLedger : IIdempotencyLedger, IDeliveryStatusLedger
    {
        var ct = CancellationToken.None;
        var sends = new[] { ("spring-sale", "16505550001", "read"), ("spring-sale", "16505550002", "delivered"), ("spring-sale", "16505550003", "failed"), ("spring-sale", "16505550004", "sent"), ("autumn", "16505550005", "failed") };
        for (var i = 0; i < sends.Length; i++)
        {
            var (campaign, number, state) = sends[i];
            await ledger.TryClaimAsync($"k{i}", ct);
            await ledger.CompleteAsync($"k{i}", new LedgerOutcome($"wamid.{i}") { CampaignId = campaign, RecipientHash = NumberHash.Of(number) }, ct);
            var parsed = Enum.Parse<DeliveryState>(state, ignoreCase: true);
            await ledger.RecordStatusAsync(new DeliveryStatusUpdate($"wamid.{i}", parsed, parsed == DeliveryState.Failed ? (i == 2 ? "131049" : "131026") : null), ct);
        }

        await ledger.SetOptOutAsync(NumberHash.Of("16505550004"), optedOut: true, ct);
    }

    private static async Task SeedSqliteAsync(string path)
    {
        using var ledger = new SqliteLedger(path, TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), TimeProvider.System);
        await SeedTwoCampaignsAsync(ledger);
    }

    private async Task<Dictionary<string, string>> LedgerWithTwoCampaignsAsync()
    {
        var table = await dynalite.CreateTableAsync();
        using var ledger = new DynamoDbLedger(dynalite.CreateClient(), table, TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        await SeedTwoCampaignsAsync(ledger);
        return new Dictionary<string, string>
        {
            ["IDEMPOTENCY_TABLE"] = table,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Endpoint.AbsoluteUri,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDREPORTTEST",
            ["AWS_SECRET_ACCESS_KEY"] = "report-secret-key",
        };
    }

    private static async Task<HarnessRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        await RunInAsync(null, environment, arguments);

    private static async Task<HarnessRun> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(arguments, environment, workingDirectory);
        return await process.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Report_json_prints_the_funnel_of_every_campaign()
    {
        var run = await RunAsync(await LedgerWithTwoCampaignsAsync(), "report", "--json");

        Assert.Equal(0, run.ExitCode);
        using var report = JsonDocument.Parse(run.StandardOutput);
        var campaigns = report.RootElement.GetProperty("campaigns");
        Assert.Equal(TwoCampaignsJson, campaigns.GetRawText());
    }

    [Fact]
    public async Task Report_of_one_campaign_shows_a_table_with_rates()
    {
        var run = await RunAsync(await LedgerWithTwoCampaignsAsync(), "report", "--campaign", "spring-sale");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("spring-sale", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("autumn", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 (50.0%)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("131049: 1", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_reads_the_local_sqlite_ledger_in_the_working_directory_without_a_table()
    {
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        try
        {
            await SeedSqliteAsync(Path.Combine(folder, ".whatsapp-channel", "ledger.db"));

            var run = await RunInAsync(folder, new Dictionary<string, string>(), "report", "--json");

            Assert.True(run.ExitCode == 0, run.StandardError);
            using var report = JsonDocument.Parse(run.StandardOutput);
            Assert.Equal(TwoCampaignsJson, report.RootElement.GetProperty("campaigns").GetRawText());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Report_reads_the_sqlite_ledger_named_by_the_ledger_option()
    {
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        try
        {
            var file = Path.Combine(folder, "campaigns.db");
            await SeedSqliteAsync(file);

            var run = await RunAsync(new Dictionary<string, string>(), "report", "--ledger", file, "--campaign", "spring-sale");

            Assert.True(run.ExitCode == 0, run.StandardError);
            Assert.Contains("spring-sale", run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("autumn", run.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("2 (50.0%)", run.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Report_without_a_ledger_says_where_it_looked_and_exits_2()
    {
        var run = await RunAsync(new Dictionary<string, string>(), "report");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no ledger at", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(".whatsapp-channel", "ledger.db"), run.StandardError, StringComparison.Ordinal);
        Assert.Contains("IDEMPOTENCY_TABLE", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_on_a_file_that_is_not_a_ledger_exits_1_with_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        try
        {
            var file = Path.Combine(folder, "not-a-ledger.db");
            await File.WriteAllTextAsync(file, "this is not a SQLite database, only text long enough to have a header");

            var run = await RunAsync(new Dictionary<string, string>(), "report", "--ledger", file);

            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("error: LedgerUnavailableException: SQLite ledger report", Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Report_with_the_table_unreachable_exits_1_with_one_line()
    {
        var environment = await LedgerWithTwoCampaignsAsync();
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = $"http://127.0.0.1:{DynaliteServer.FreePort()}";

        var run = await RunAsync(environment, "report", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: LedgerUnavailableException: DynamoDB Scan", run.StandardError.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("report-secret-key", run.StandardError, StringComparison.Ordinal);
    }
}
