using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Latency_delays_every_answer_by_at_least_the_configured_time()
    {
        await using var server = await StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(300) });

        var accepted = Stopwatch.StartNew();
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        var acceptedElapsed = accepted.Elapsed;
        var rejected = Stopwatch.StartNew();
        (await PostAsync(server, "{}", token: null)).AssertError(HttpStatusCode.Unauthorized, 190);
        var rejectedElapsed = rejected.Elapsed;

        Assert.True(acceptedElapsed >= TimeSpan.FromMilliseconds(295), $"accepted after {acceptedElapsed}");
        Assert.True(rejectedElapsed >= TimeSpan.FromMilliseconds(295), $"rejected after {rejectedElapsed}");
    }

    [Fact]
    public async Task Server_error_rate_answers_500_code_1_or_503_code_2_for_that_share_of_requests()
    {
        await using var server = await StartAsync(new SandboxOptions { ServerErrorRate = 0.5, RandomSeed = 7, PairRateWindow = null });

        var statuses = await SendSequenceAsync(server, 60);

        var failures = statuses.Where(s => s.Status != HttpStatusCode.OK).ToArray();
        Assert.InRange(failures.Length, 15, 45);
        Assert.All(failures, f => Assert.True(
            (f.Status == HttpStatusCode.InternalServerError && f.Code == 1) || (f.Status == HttpStatusCode.ServiceUnavailable && f.Code == 2),
            $"HTTP {(int)f.Status} code {f.Code}"));
        Assert.Contains(failures, f => f.Code == 1);
        Assert.Contains(failures, f => f.Code == 2);
        Assert.Equal(60 - failures.Length, server.Messages.Count);
        Assert.Equal(60, server.RequestCount);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_fault_sequence()
    {
        await using var first = await StartAsync(new SandboxOptions { ServerErrorRate = 0.3, RandomSeed = 42, PairRateWindow = null });
        await using var second = await StartAsync(new SandboxOptions { ServerErrorRate = 0.3, RandomSeed = 42, PairRateWindow = null });

        var a = await SendSequenceAsync(first, 30);
        var b = await SendSequenceAsync(second, 30);

        Assert.Equal(a, b);
        Assert.Contains(a, s => s.Status != HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 10)]
    public async Task Server_error_rate_bounds_are_exact(double rate, int expectedFailures)
    {
        await using var server = await StartAsync(new SandboxOptions { ServerErrorRate = rate, PairRateWindow = null });

        var statuses = await SendSequenceAsync(server, 10);

        Assert.Equal(expectedFailures, statuses.Count(s => s.Status != HttpStatusCode.OK));
    }

    [Fact]
    public async Task Throughput_cap_answers_130429_above_the_messages_per_second()
    {
        var clock = new FakeTimeProvider();
        await using var server = await StartAsync(new SandboxOptions { MessagesPerSecondCap = 3, PairRateWindow = null, Clock = clock });

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => PostAsync(server, SeedRequest($"1555300{i:D4}").ToJsonString())));

        var accepted = answers.Count(a => a.Status == HttpStatusCode.OK);
        var limited = answers.Where(a => a.Status != HttpStatusCode.OK).ToArray();
        Assert.Equal(3, accepted);
        Assert.All(limited, a => a.AssertMessagingError(130429));
        Assert.Equal("(#130429) Rate limit hit", limited[0].Body["error"]!["message"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromMilliseconds(999));
        (await PostAsync(server, SeedRequest("15553009998").ToJsonString())).AssertMessagingError(130429);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await PostAsync(server, SeedRequest("15553009999").ToJsonString())).AssertAccepted();
    }

    [Fact]
    public async Task Pair_rate_limit_answers_131056_for_the_same_recipient_within_the_window()
    {
        await using var server = await StartAsync(new SandboxOptions());

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        var again = await PostAsync(server, SeedRequest().ToJsonString());
        var other = await PostAsync(server, SeedRequest("15554440001").ToJsonString());

        again.AssertMessagingError(131056);
        Assert.Equal("(#131056) (Business Account, Consumer Account) pair rate limit hit", again.Body["error"]!["message"]!.GetValue<string>());
        other.AssertAccepted();
        Assert.Equal(2, server.Messages.Count);
    }

    [Fact]
    public async Task Pair_rate_limit_lets_the_recipient_through_after_the_window()
    {
        var clock = new FakeTimeProvider();
        await using var server = await StartAsync(new SandboxOptions { PairRateWindow = TimeSpan.FromMilliseconds(200), Clock = clock });

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        clock.Advance(TimeSpan.FromMilliseconds(199));
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertMessagingError(131056);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
    }

    [Fact]
    public async Task Pair_rate_limit_can_be_switched_off()
    {
        await using var server = await StartAsync(new SandboxOptions { PairRateWindow = null });

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
    }

    [Fact]
    public async Task Refused_attempts_do_not_restart_the_pair_window()
    {
        var clock = new FakeTimeProvider();
        await using var server = await StartAsync(new SandboxOptions { PairRateWindow = TimeSpan.FromMilliseconds(500), Clock = clock });

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        clock.Advance(TimeSpan.FromMilliseconds(300));
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertMessagingError(131056);
        clock.Advance(TimeSpan.FromMilliseconds(200));

        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
    }

    [Theory]
    [InlineData("15550099999")]
    [InlineData("447700999999")]
    public async Task Reserved_numbers_ending_in_99999_are_undeliverable(string to)
    {
        await using var server = await StartAsync();

        var answer = await PostAsync(server, SeedRequest(to).ToJsonString());

        answer.AssertMessagingError(131026);
        Assert.Equal("(#131026) Message Undeliverable", answer.Body["error"]!["message"]!.GetValue<string>());
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Numbers_ending_in_0000_are_deliverable()
    {
        await using var server = await StartAsync();

        (await PostAsync(server, SeedRequest("15550000000").ToJsonString())).AssertAccepted();
    }

    [Fact]
    public async Task Configured_numbers_and_suffixes_are_undeliverable_too()
    {
        await using var server = await StartAsync(new SandboxOptions { UndeliverableNumbers = ["15551234567", "*4242"] });

        (await PostAsync(server, SeedRequest("15551234567").ToJsonString())).AssertMessagingError(131026);
        (await PostAsync(server, SeedRequest("4915112344242").ToJsonString())).AssertMessagingError(131026);
        (await PostAsync(server, SeedRequest("15551299999").ToJsonString())).AssertMessagingError(131026);
        (await PostAsync(server, SeedRequest("15551234568").ToJsonString())).AssertAccepted();
    }

    [Fact]
    public async Task Max_concurrent_requests_counts_requests_in_flight_together()
    {
        await using var server = await StartAsync(new SandboxOptions { Latency = TimeSpan.FromSeconds(2), PairRateWindow = null });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => PostAsync(server, SeedRequest($"1555500{i:D4}").ToJsonString())));

        Assert.InRange(server.MaxConcurrentRequests, 2, 4);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task Max_concurrent_requests_is_one_for_sequential_requests()
    {
        await using var server = await StartAsync(new SandboxOptions { PairRateWindow = null });

        for (var i = 0; i < 5; i++)
        {
            await PostAsync(server, SeedRequest($"1555600{i:D4}").ToJsonString());
        }

        Assert.Equal(1, server.MaxConcurrentRequests);
        Assert.Equal(5, server.RequestCount);
    }

    [Fact]
    public async Task Faults_can_be_changed_at_run_time()
    {
        await using var server = await StartAsync(new SandboxOptions());

        var (status, settings) = await PostFaultsAsync(server, "{\"serverErrorRate\":1,\"pairRateWindowMs\":null,\"undeliverableNumbers\":[\"15557770001\"]}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1.0, settings["serverErrorRate"]!.GetValue<double>());
        Assert.Null(settings["pairRateWindowMs"]);
        Assert.True((await PostAsync(server, SeedRequest().ToJsonString())).Status >= HttpStatusCode.InternalServerError);

        await PostFaultsAsync(server, "{\"serverErrorRate\":0}");
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
        (await PostAsync(server, SeedRequest("15557770001").ToJsonString())).AssertMessagingError(131026);
        var current = await Http.GetStringAsync(new Uri(server.BaseUrl, "/_sandbox/faults"));
        Assert.Contains("\"serverErrorRate\":0", current, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"serverErrorRate\":2}")]
    [InlineData("{\"latencyMs\":\"slow\"}")]
    [InlineData("{\"messagesPerSecondCap\":0}")]
    [InlineData("{\"nonsense\":1}")]
    [InlineData("[]")]
    [InlineData("{")]
    public async Task Invalid_fault_settings_are_refused_and_change_nothing(string json)
    {
        await using var server = await StartAsync(new SandboxOptions());

        var (status, body) = await PostFaultsAsync(server, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
        (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
    }

    [Theory]
    [InlineData(-0.1, 0)]
    [InlineData(1.5, 0)]
    [InlineData(0.0, -1)]
    public async Task Out_of_range_options_fail_at_start(double serverErrorRate, int cap)
    {
        var options = new SandboxOptions { ServerErrorRate = serverErrorRate, MessagesPerSecondCap = cap == 0 ? null : cap };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => SandboxServer.StartAsync(options));
    }

    private static async Task<List<(HttpStatusCode Status, int? Code)>> SendSequenceAsync(SandboxServer server, int count)
    {
        var results = new List<(HttpStatusCode, int?)>();
        for (var i = 0; i < count; i++)
        {
            var answer = await PostAsync(server, SeedRequest($"1555800{i:D4}").ToJsonString());
            results.Add((answer.Status, answer.ErrorCode));
        }

        return results;
    }
}
