using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Webhook;

/// <summary>The loop on one machine, as a user runs it: <c>invoke</c> or <c>campaign</c> against the built-in sandbox, whose
/// signed status webhooks reach the real webhook handler in the same process and land in the local SQLite ledger; then
/// <c>report</c>, a separate process, reads the funnel from that file. The runs wait for their statuses themselves (until
/// every message is final), so the test waits only for the processes to end.</summary>
public sealed class StatusLoopProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _folder = Directory.CreateTempSubdirectory("status-loop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private async Task<HarnessRun> RunAsync(params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(arguments, new Dictionary<string, string>(), _folder);
        var run = await process.WaitAsync(Timeout);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', arguments)} exited {run.ExitCode}: {run.StandardError}");
        return run;
    }

    private async Task<JsonElement> ReportAsync(params string[] arguments)
    {
        var run = await RunAsync(["report", "--json", .. arguments]);
        using var report = JsonDocument.Parse(run.StandardOutput);
        return Assert.Single(report.RootElement.GetProperty("campaigns").EnumerateArray()).Clone();
    }

    private static (int Sent, int Delivered, int Read, int Failed, string FailedByCode) Funnel(JsonElement campaign) =>
        (campaign.GetProperty("sent").GetInt32(), campaign.GetProperty("delivered").GetInt32(), campaign.GetProperty("read").GetInt32(),
         campaign.GetProperty("failed").GetInt32(), campaign.GetProperty("failedByCode").GetRawText());

    [Fact]
    public async Task Invoke_of_the_50_endpoint_sample_then_report_shows_delivered_read_and_the_reserved_failures()
    {
        var invoke = await RunAsync("invoke", Sample("campaign-50-endpoints.json"));

        Assert.Contains("50 endpoints: 50 sent, 0 skipped, 0 failed", invoke.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Delivery statuses: 148 recorded in the ledger", invoke.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, ".whatsapp-channel", "ledger.db")));
        var campaign = await ReportAsync();
        Assert.Equal((50, 48, 48, 2, """{"131026":1,"131049":1}"""), Funnel(campaign));

        var table = await RunAsync("report");
        Assert.Contains("48 (96.0%)", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("131026: 1, 131049: 1", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoking_the_same_event_again_sends_nothing_and_the_funnel_stays_the_same()
    {
        await RunAsync("invoke", Sample("campaign-50-endpoints.json"), "--json");

        var again = await RunAsync("invoke", Sample("campaign-50-endpoints.json"), "--json");

        using var response = JsonDocument.Parse(again.StandardOutput);
        Assert.All(response.RootElement.EnumerateObject(), endpoint =>
            Assert.Equal("already-sent", endpoint.Value.GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString()));
        Assert.Equal((50, 48, 48, 2, """{"131026":1,"131049":1}"""), Funnel(await ReportAsync()));
    }

    [Fact]
    public async Task A_stop_through_the_webhook_command_is_honored_by_the_next_invoke()
    {
        var stop = await RunAsync("webhook", Sample("webhook-stop.json"));
        Assert.Contains("\"statusCode\":200", stop.StandardOutput, StringComparison.Ordinal);

        var invoke = await RunAsync("invoke", Sample("campaign-50-endpoints.json"), "--json");

        using var response = JsonDocument.Parse(invoke.StandardOutput);
        var skipped = Assert.Single(response.RootElement.EnumerateObject(), e => e.Value.GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString() == "skipped");
        Assert.Equal("endpoint-003", skipped.Name);
        Assert.Equal("opted-out-whatsapp", skipped.Value.GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
        Assert.Equal(49, Funnel(await ReportAsync()).Sent);
    }

    [Fact]
    public async Task A_campaign_through_the_built_in_sandbox_then_report_shows_its_funnel()
    {
        var audience = Path.Combine(_folder, "audience.csv");
        await File.WriteAllLinesAsync(audience, ["Address,FirstName", .. Enumerable.Range(0, 60).Select(i => $"+{14155551000L + i},Name{i}")]);
        var data = Path.Combine(_folder, "data.json");
        await File.WriteAllTextAsync(data, """{"templateName":"cart_reminder","language":"en_US","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":"a hat"}]}]}""");

        var run = await RunAsync("campaign", audience, "--data", data, "--campaign-id", "loop-test");

        Assert.Contains("Delivery statuses: 178 recorded in the ledger", run.StandardOutput, StringComparison.Ordinal);
        var campaign = await ReportAsync("--campaign", "loop-test");
        Assert.Equal("loop-test", campaign.GetProperty("campaignId").GetString());
        Assert.Equal((60, 58, 58, 2, """{"131026":1,"131049":1}"""), Funnel(campaign));
    }

    [Fact]
    public async Task No_wait_ends_after_the_sends_and_the_report_still_counts_every_send()
    {
        var invoke = await RunAsync("invoke", Sample("campaign-50-endpoints.json"), "--no-wait");

        Assert.DoesNotContain("Delivery statuses", invoke.StandardOutput, StringComparison.Ordinal);
        var campaign = await ReportAsync();
        Assert.Equal(50, campaign.GetProperty("sent").GetInt32());
        Assert.InRange(campaign.GetProperty("read").GetInt32() + campaign.GetProperty("failed").GetInt32(), 0, 50);
    }

    [Fact]
    public async Task Invoke_json_still_prints_only_the_response_and_logs_no_full_number()
    {
        var invoke = await RunAsync("invoke", Sample("campaign-50-endpoints.json"), "--json", "--verbose");

        using var response = JsonDocument.Parse(invoke.StandardOutput);
        Assert.Equal(50, response.RootElement.EnumerateObject().Count());
        Assert.All(invoke.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
        Assert.Contains("delivery status", invoke.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("14155551049", invoke.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, Funnel(await ReportAsync()).Failed);
    }
}
