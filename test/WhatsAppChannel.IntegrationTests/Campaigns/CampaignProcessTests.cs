using System.Globalization;
using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Replay;
using WhatsAppChannel.Sandbox;
using Xunit.Abstractions;

namespace WhatsAppChannel.IntegrationTests.Campaigns;

/// <summary><c>whatsapp-channel campaign</c> as a user runs it: real processes on one SQLite ledger file, a sandbox in
/// this test counting what WhatsApp accepted, output piped (not a terminal), and runs stopped by Ctrl+C or kill -9.</summary>
public sealed class CampaignProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Audience = 230;

    private readonly CampaignFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "WhatsAppChannel.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir.FullName, "samples", name);
    }

    [Fact]
    public async Task The_sample_audience_sends_the_right_messages_with_one_result_row_each_and_a_rerun_sends_nothing()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        File.Copy(Sample("campaign-data.json"), _folder.Data);

        var first = await _folder.RunAsync(sandbox, Sample("audience.csv"));

        Assert.True(first.ExitCode == 0, first.StandardError);
        var accepted = sandbox.Messages;
        Assert.Equal(29, accepted.Count);
        Assert.Equal(29, accepted.Select(m => m.To).Distinct().Count());
        var mary = Assert.Single(accepted, m => m.To == "14155550100");
        Assert.Equal("Hi Mary, you left a T-shirt in your cart. Complete your purchase today!", mary.RenderedText);
        Assert.Contains(accepted, m => m.RenderedText.Contains("you left socks, 3 pairs in your cart", StringComparison.Ordinal));

        var results = _folder.ReadResults();
        Assert.Equal(Enumerable.Range(2, 32).Select(i => (long)i), results.Select(r => r.Line).Order());
        Assert.Equal(("skipped", "opted-out"), Outcome(results, 7));
        Assert.Equal(("skipped", "invalid-address"), Outcome(results, 13));
        Assert.Equal(("skipped", "duplicate-address"), Outcome(results, 19));
        Assert.Equal("line-13", results.Single(r => r.Line == 13).EndpointId);
        var sent = results.Where(r => r.Status == "sent").ToList();
        Assert.Equal(accepted.Select(m => m.Id).Order(StringComparer.Ordinal), sent.Select(r => r.MessageId).Order(StringComparer.Ordinal));
        Assert.All(sent, r => Assert.Equal("******" + r.EndpointId[^4..], r.Number));
        // Without an EndpointId column a row's id is its number: the file shows it masked, like the number.
        Assert.Equal(("******0100", "******0100"), (results.Single(r => r.MessageId == mary.Id).EndpointId, results.Single(r => r.MessageId == mary.Id).Number));
        Assert.DoesNotContain("14155550100", File.ReadAllText(_folder.Results), StringComparison.Ordinal);

        // Piped output: plain progress lines and a summary, no cursor movements or colors.
        Assert.DoesNotContain('\u001b', first.StandardOutput);
        Assert.Contains("32/32 rows | sent 29 | skipped 3 | failed 0", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Campaign test-campaign: 32 of 32 rows: 29 sent, 3 skipped, 0 failed", first.StandardOutput, StringComparison.Ordinal);

        var rerun = await _folder.RunAsync(sandbox, Sample("audience.csv"), extra: "--json");

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(29, sandbox.Messages.Count);
        using var summary = JsonDocument.Parse(rerun.StandardOutput);
        Assert.Equal(0, summary.RootElement.GetProperty("sent").GetInt32());
        Assert.Equal(32, summary.RootElement.GetProperty("skipped").GetInt32());
        Assert.Equal(29, summary.RootElement.GetProperty("reasons").GetProperty("already-sent").GetInt32());
        var again = _folder.ReadResults();
        Assert.Equal(32, again.Count);
        Assert.Equal(results, CampaignFolder.ReadResults(_folder.Results + ".previous"));
        Assert.Equal(
            sent.Select(r => (r.Line, r.MessageId)).Order(),
            again.Where(r => r.Reason == "already-sent").Select(r => (r.Line, r.MessageId)).Order());
    }

    /// <summary>A STOP the webhook recorded in the campaign's ledger (the signed sample from 14155551002) is honored by the
    /// campaign whatever the audience says, and the report reads the same file.</summary>
    [Fact]
    public async Task A_stop_recorded_by_the_webhook_skips_that_number_opted_out_whatsapp_and_report_reads_the_same_ledger()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var numbers = _folder.WriteAudience(5);
        Assert.Contains("14155551002", numbers);
        using (var webhook = HarnessProcess.StartCommand(["webhook", Sample("webhook-stop.json"), "--ledger", _folder.Ledger], new Dictionary<string, string>()))
        {
            var stop = await webhook.WaitAsync(CampaignFolder.RunTimeout);
            Assert.True(stop.ExitCode == 0, stop.StandardError);
            Assert.Contains("\"statusCode\":200", stop.StandardOutput, StringComparison.Ordinal);
        }

        var run = await _folder.RunAsync(sandbox, _folder.File("audience.csv"));

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(numbers.Where(n => n != "14155551002").Order(StringComparer.Ordinal), sandbox.Messages.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.Equal(("skipped", "opted-out-whatsapp"), Outcome(_folder.ReadResults(), 4));
        using var reportProcess = HarnessProcess.StartCommand(["report", "--ledger", _folder.Ledger, "--json"], new Dictionary<string, string>());
        var report = await reportProcess.WaitAsync(CampaignFolder.RunTimeout);
        Assert.True(report.ExitCode == 0, report.StandardError);
        using var funnels = JsonDocument.Parse(report.StandardOutput);
        var funnel = Assert.Single(funnels.RootElement.GetProperty("campaigns").EnumerateArray());
        Assert.Equal(("test-campaign", 4), (funnel.GetProperty("campaignId").GetString(), funnel.GetProperty("sent").GetInt32()));
    }

    /// <summary>kill -9 in the middle of the campaign, then the same command again once the dead run's claims expired.
    /// A message the sandbox accepted whose id never reached the ledger is sent again (the Cloud API has no
    /// idempotency key): that is exactly the sends in flight at the kill, at most one per parallel send slot.
    /// Every other number gets exactly one message.</summary>
    [Fact]
    public async Task A_campaign_killed_mid_run_and_run_again_reaches_everyone_once_but_for_the_sends_in_flight()
    {
        const int Concurrency = 4;
        const int Parallel = 2;
        var claimLifetime = TimeSpan.FromSeconds(3);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(40), PairRateWindow = null });
        var numbers = _folder.WriteAudience(Audience);
        var environment = Environment(Concurrency, claimLifetime);
        var audience = _folder.File("audience.csv");

        using (var victim = _folder.Start(sandbox, audience, environment, "--parallel", Parallel.ToString(CultureInfo.InvariantCulture)))
        {
            await WaitForAcceptedAsync(sandbox, victim, 80);
            victim.Kill();
            await victim.WaitAsync(CampaignFolder.RunTimeout);
        }

        await sandbox.WaitUntilIdleAsync(CampaignFolder.RunTimeout); // requests already in the sandbox end (or are dropped)
        var atKill = sandbox.Messages;
        var completed = _folder.CompletedMessageIds();
        var inFlight = atKill.Where(m => !completed.Contains(m.Id)).ToList();
        var partial = _folder.ReadResults();
        output.WriteLine($"at the kill: accepted {atKill.Count}, recorded {completed.Count}, in flight {inFlight.Count}, result rows {partial.Count}");
        Assert.InRange(atKill.Count, 80, Audience - 1);
        Assert.InRange(inFlight.Count, 0, Concurrency * Parallel);
        Assert.All(partial.Where(r => r.Status == "sent"), r => Assert.Contains(r.MessageId, completed));

        await Task.Delay(claimLifetime + TimeSpan.FromMilliseconds(500));
        var rerun = await _folder.RunAsync(sandbox, audience, environment, "--json");

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        var final = sandbox.Messages;
        var twice = inFlight.Select(m => m.To).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Audience + inFlight.Count, final.Count);
        Assert.All(numbers, number => Assert.Equal(twice.Contains(number) ? 2 : 1, final.Count(m => m.To == number)));
        var results = _folder.ReadResults();
        Assert.Equal(Enumerable.Range(2, Audience).Select(i => (long)i), results.Select(r => r.Line).Order());
        Assert.All(results, r => Assert.True(r.Status == "sent" || r.Reason == "already-sent", $"line {r.Line}: {r.Status} {r.Reason}"));
        Assert.Equal(completed.Order(StringComparer.Ordinal), results.Where(r => r.Reason == "already-sent").Select(r => r.MessageId).Order(StringComparer.Ordinal));
    }

    /// <summary>Ctrl+C stops reading the audience; the batches in flight finish and are recorded, so nothing is in
    /// flight when the process ends and the rerun sends every remaining number exactly once.</summary>
    [Fact]
    public async Task Ctrl_c_finishes_the_batches_in_flight_and_the_rerun_sends_each_remaining_number_once()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(40), PairRateWindow = null });
        var numbers = _folder.WriteAudience(Audience);
        var environment = Environment(concurrency: 4, TimeSpan.FromSeconds(120));
        var audience = _folder.File("audience.csv");

        HarnessRun stopped;
        using (var run = _folder.Start(sandbox, audience, environment, "--parallel", "2"))
        {
            await WaitForAcceptedAsync(sandbox, run, 60);
            run.Interrupt();
            stopped = await run.WaitAsync(CampaignFolder.RunTimeout);
        }

        var atStop = sandbox.Messages;
        output.WriteLine($"accepted at Ctrl+C: {atStop.Count}");
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("stopped by Ctrl+C: run the same command again", stopped.StandardOutput, StringComparison.Ordinal);
        Assert.InRange(atStop.Count, 60, Audience - 1);
        Assert.Equal(atStop.Select(m => m.Id).Order(StringComparer.Ordinal), _folder.CompletedMessageIds().Order(StringComparer.Ordinal));
        Assert.Equal(atStop.Select(m => m.Id).Order(StringComparer.Ordinal), _folder.ReadResults().Select(r => r.MessageId).Order(StringComparer.Ordinal));

        var rerun = await _folder.RunAsync(sandbox, audience, environment);

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.All(numbers, number => Assert.Single(sandbox.Messages, m => m.To == number));
    }

    [Fact]
    public async Task Two_processes_running_the_same_campaign_on_one_ledger_file_send_each_number_once_between_them()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(20), PairRateWindow = null });
        var numbers = _folder.WriteAudience(Audience);
        var environment = Environment(concurrency: 4, TimeSpan.FromSeconds(120));
        var audience = _folder.File("audience.csv");

        using var a = _folder.Start(sandbox, audience, environment, "--results", _folder.File("a.csv"));
        using var b = _folder.Start(sandbox, audience, environment, "--results", _folder.File("b.csv"));
        var runs = await Task.WhenAll(a.WaitAsync(CampaignFolder.RunTimeout), b.WaitAsync(CampaignFolder.RunTimeout));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.StandardError));
        Assert.All(numbers, number => Assert.Single(sandbox.Messages, m => m.To == number));
        output.WriteLine($"max requests in flight at the sandbox: {sandbox.MaxConcurrentRequests}");
    }

    [Fact]
    public async Task A_second_run_on_the_same_results_file_stops_before_sending_and_the_first_keeps_its_file()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        var numbers = _folder.WriteAudience(Audience);
        // 15 messages a second: the first run is still writing when the second one starts.
        var environment = new Dictionary<string, string>(Environment(concurrency: 4, TimeSpan.FromSeconds(120)), StringComparer.Ordinal)
        {
            ["SEND_RATE_PER_SECOND"] = "15",
            ["WHATSAPP_THROUGHPUT_PER_SECOND"] = "15",
        };
        var audience = _folder.File("audience.csv");

        using (var first = _folder.Start(sandbox, audience, environment))
        {
            await WaitForAcceptedAsync(sandbox, first, 10);
            var second = await _folder.RunAsync(sandbox, audience, environment);

            Assert.True(second.ExitCode == 1, $"exit {second.ExitCode}: {second.StandardError}");
            Assert.Contains("is another run of this campaign writing it?", Assert.Single(second.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            var done = await first.WaitAsync(CampaignFolder.RunTimeout);
            Assert.True(done.ExitCode == 0, done.StandardError);
        }

        Assert.All(numbers, number => Assert.Single(sandbox.Messages, m => m.To == number));
        Assert.Equal(Enumerable.Range(2, Audience).Select(i => (long)i), _folder.ReadResults().Select(r => r.Line).Order());
    }

    /// <summary>Batches in flight share one rate: at 50 a second, four batches of 50 take 4 s together, past a 3 s
    /// function timeout. The runner gives its batches the time the rate needs instead of failing them.</summary>
    [Fact]
    public async Task Batches_waiting_for_a_shared_low_rate_are_not_failed_by_the_function_timeout()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        var numbers = _folder.WriteAudience(200);
        var environment = new Dictionary<string, string>(Environment(concurrency: 50, TimeSpan.FromSeconds(120)), StringComparer.Ordinal)
        {
            ["SEND_RATE_PER_SECOND"] = "50",
            ["WHATSAPP_THROUGHPUT_PER_SECOND"] = "50",
            ["FUNCTION_TIMEOUT_SECONDS"] = "3",
        };

        var run = await _folder.RunAsync(sandbox, _folder.File("audience.csv"), environment, "--parallel", "4");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.All(_folder.ReadResults(), r => Assert.Equal("sent", r.Status));
        Assert.All(numbers, number => Assert.Single(sandbox.Messages, m => m.To == number));
    }

    [Fact]
    public async Task Blank_lines_in_a_csv_are_skipped_not_an_error()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _folder.WriteAudience(1);
        var audience = _folder.File("blank-lines.csv");
        await File.WriteAllTextAsync(audience, "Address,FirstName\n+14155550100,Mary\n\n+14155550101,Ann\n\n");

        var run = await _folder.RunAsync(sandbox, audience);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(["14155550100", "14155550101"], sandbox.Messages.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.Equal([2L, 4L], _folder.ReadResults().Select(r => r.Line).Order());
    }

    [Fact]
    public async Task An_audience_that_cannot_be_read_exits_1_with_one_line()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _folder.WriteAudience(1);

        var run = await _folder.RunAsync(sandbox, _folder.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: cannot read ", Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(sandbox.Messages);
    }

    [Theory]
    [InlineData("missing", 1, "cannot read")]
    [InlineData("Name,City\nMary,Leeds\n", 2, "no phone number column")]
    [InlineData("EndpointId,Address\nc-1,+14155550100\nc-1,+14155550101\n", 2, "line 3: duplicate EndpointId 'c-1'")]
    [InlineData("Address,Name\n+14155550100,\"Mary\n", 2, "line 2: malformed CSV")]
    public async Task Bad_audiences_exit_with_one_clear_line_and_send_nothing(string content, int exitCode, string expected)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _folder.WriteAudience(1);
        var audience = _folder.File("bad.csv");
        if (content != "missing")
        {
            await File.WriteAllTextAsync(audience, content);
        }

        var run = await _folder.RunAsync(sandbox, audience);

        Assert.Equal(exitCode, run.ExitCode);
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(sandbox.Messages);
    }

    [Fact]
    public async Task Data_that_is_not_json_exits_2_with_one_line()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _folder.WriteAudience(3);
        await File.WriteAllTextAsync(_folder.Data, "templateName: cart_reminder");

        var run = await _folder.RunAsync(sandbox, _folder.File("audience.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a JSON object", Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(sandbox.Messages);
    }

    [Fact]
    public async Task Data_the_handler_refuses_stops_the_campaign_with_exit_2_and_the_handlers_error()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _folder.WriteAudience(120);
        await File.WriteAllTextAsync(_folder.Data, """{"params":[]}""");

        var run = await _folder.RunAsync(sandbox, _folder.File("audience.csv"), extra: ["--parallel", "1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("InvalidEvent: Data.templateName is missing", Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(sandbox.Messages);
        Assert.Empty(_folder.ReadResults());
    }

    private static (string Status, string Reason) Outcome(List<ResultRow> results, long line)
    {
        var row = results.Single(r => r.Line == line);
        return (row.Status, row.Reason);
    }

    private static Dictionary<string, string> Environment(int concurrency, TimeSpan claimLifetime) => new(StringComparer.Ordinal)
    {
        ["SEND_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["SEND_RATE_PER_SECOND"] = "1000",
        ["IDEMPOTENCY_CLAIM_SECONDS"] = ((int)claimLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
    };

    private static async Task WaitForAcceptedAsync(SandboxServer sandbox, HarnessProcess run, int count)
    {
        var limit = DateTimeOffset.UtcNow + CampaignFolder.RunTimeout;
        while (sandbox.Messages.Count < count)
        {
            if (run.HasExited)
            {
                var ended = await run.WaitAsync(CampaignFolder.RunTimeout);
                Assert.Fail($"The campaign ended (exit {ended.ExitCode}) before {count} messages were accepted. stderr:\n{ended.StandardError}");
            }

            Assert.True(DateTimeOffset.UtcNow < limit, $"Fewer than {count} messages were accepted in time.");
            await Task.Delay(5);
        }
    }
}
