using System.Diagnostics;
using System.Globalization;
using WhatsAppChannel.IntegrationTests.Idempotency;
using WhatsAppChannel.Sandbox;
using Xunit.Abstractions;

namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>Issue 8's end-to-end idempotency proofs and issue 10's crash and replay: real harness processes
/// (<c>whatsapp-channel invoke --json</c>) sharing one sandbox (in this process) and one DynamoDB ledger (dynalite),
/// a fresh table per test. The sandbox's pair rate limit is off, so a duplicate is accepted and counted instead of
/// being refused with 131056 (which would hide it).</summary>
public sealed class ReplayTests(DynaliteServer dynalite, ITestOutputHelper output) : IClassFixture<DynaliteServer>
{
    private const int KillAfterAccepted = 8;
    private const int CrashConcurrency = 4;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CrashLatency = TimeSpan.FromMilliseconds(200);

    // Long enough for the first replay to start (a process start on a busy machine) and reach the keys the
    // killed run left claimed before they expire; short enough that the test waits for the expiry itself.
    private static readonly TimeSpan CrashClaimLifetime = TimeSpan.FromSeconds(20);

    private static readonly SandboxOptions SandboxAccess = new();
    private readonly CampaignOf50 _campaign = CampaignOf50.Load();

    [Fact]
    public async Task The_same_event_run_twice_in_two_processes_sends_each_message_once_and_reports_the_first_ids()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        var environment = HarnessEnvironment(await dynalite.CreateTableAsync(), TimeSpan.FromSeconds(120), concurrency: 16);

        var first = (await RunAsync(sandbox, environment)).Response();
        var second = (await RunAsync(sandbox, environment)).Response();

        AssertCoversTheCampaign(first);
        AssertCoversTheCampaign(second);
        foreach (var endpoint in _campaign.NumberByEndpoint.Keys)
        {
            Assert.True(first[endpoint].IsSent, $"first run, {endpoint}: {first[endpoint]}");
            Assert.True(second[endpoint].IsAlreadySent, $"second run, {endpoint}: {second[endpoint]}");
            Assert.Equal(first[endpoint].MessageId, second[endpoint].MessageId);
        }

        var accepted = AcceptedOncePerNumber(sandbox);
        Assert.Equal(50, accepted.Count);
        foreach (var (endpoint, number) in _campaign.NumberByEndpoint)
        {
            Assert.Equal(accepted[number].Id, first[endpoint].MessageId);
        }
    }

    /// <summary>The run is killed at the worst moment: the sandbox has just accepted a message and not yet answered,
    /// so WhatsApp has it and the ledger never hears of it. The replay after the claim expiry resends it: the
    /// at-least-once window of a crash, measured here exactly (see <see cref="KillMidBatchThenReplayAsync"/>).</summary>
    [Fact]
    public async Task A_run_killed_between_acceptance_and_answer_is_replayed_to_every_endpoint_and_resends_only_that_message()
    {
        var inFlightAtKill = await KillMidBatchThenReplayAsync(killInsideAcceptance: true);

        Assert.NotEmpty(inFlightAtKill);
    }

    /// <summary>The run is killed from outside once some messages are out, as an operator or a Lambda timeout would.
    /// The kill usually lands after A recorded its answers, while its next sends wait in the sandbox (which drops them
    /// when the connection dies): those keys stay claimed with nothing sent, wait for the expiry, then go out once.</summary>
    [Fact]
    public async Task A_run_killed_mid_batch_is_replayed_to_every_endpoint_exactly_once_but_for_the_sends_in_flight_at_the_kill()
    {
        await KillMidBatchThenReplayAsync(killInsideAcceptance: false);
    }

    [Fact]
    public async Task Two_processes_running_the_same_event_at_once_send_each_message_once_between_them()
    {
        const int Concurrency = 4;

        // The first run's accepted messages wait for the second run to have sends in flight too (more than one run's
        // concurrency), so the two overlap even when a busy machine starts one process seconds late. The wait stays
        // under the client's 10 s attempt limit: an answer held longer would be a timeout, not this test's subject.
        using var bothSending = new ManualResetEventSlim();
        SandboxServer? gate = null;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Latency = TimeSpan.FromMilliseconds(300),
            PairRateWindow = null,
            OnAccepted = _ =>
            {
                if (gate!.RequestsInFlight > Concurrency)
                {
                    bothSending.Set();
                }

                bothSending.Wait(TimeSpan.FromSeconds(8));
            },
        });
        gate = sandbox;
        var environment = HarnessEnvironment(await dynalite.CreateTableAsync(), TimeSpan.FromSeconds(120), Concurrency);

        var started = Stopwatch.StartNew();
        using var a = StartHarness(sandbox, environment);
        using var b = StartHarness(sandbox, environment);
        var first = (await a.WaitAsync(RunTimeout)).Response();
        var firstTook = started.Elapsed;
        var second = (await b.WaitAsync(RunTimeout)).Response();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"runs took {firstTook.TotalSeconds:F1} s and {started.Elapsed.TotalSeconds:F1} s; sent {first.Values.Count(o => o.IsSent)} and {second.Values.Count(o => o.IsSent)}; max sends in flight {sandbox.MaxConcurrentRequests}"));

        AssertCoversTheCampaign(first);
        AssertCoversTheCampaign(second);
        var accepted = AcceptedOncePerNumber(sandbox);
        Assert.Equal(50, accepted.Count);
        foreach (var (endpoint, number) in _campaign.NumberByEndpoint)
        {
            var outcomes = new[] { first[endpoint], second[endpoint] };
            Assert.All(outcomes, o => Assert.True(o.IsSent || o.IsAlreadySent || o.IsInProgress, $"{endpoint}: {o}"));
            var sent = Assert.Single(outcomes, o => o.IsSent);
            Assert.Equal(accepted[number].Id, sent.MessageId);
            Assert.All(outcomes.Where(o => o.IsAlreadySent), o => Assert.Equal(sent.MessageId, o.MessageId));
        }

        // Without these the test would prove nothing about concurrency: both runs sent, and at the same time.
        Assert.Contains(first.Values, o => o.IsSent);
        Assert.Contains(second.Values, o => o.IsSent);
        Assert.True(sandbox.MaxConcurrentRequests > Concurrency, $"The two runs never had sends in flight at once (max {sandbox.MaxConcurrentRequests}).");
    }

    /// <summary>A gateway in front of WhatsApp forwards every send and answers 504 with its own HTML page: WhatsApp has
    /// each message, the function cannot know it. Neither the run nor a replay in another process may send again.</summary>
    [Fact]
    public async Task A_gateway_answering_504_after_forwarding_causes_no_second_message_in_the_run_or_its_replay()
    {
        await using var gateway = await ScriptedGraphServer.StartAsync(call => call.RecipientCall == 1
            ? GraphReply.Raw(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>")
            : GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var environment = HarnessEnvironment(await dynalite.CreateTableAsync(), TimeSpan.FromSeconds(120), concurrency: 16);

        var first = (await RunAsync(gateway.BaseUrl, environment)).Response();
        var replay = (await RunAsync(gateway.BaseUrl, environment)).Response();

        AssertCoversTheCampaign(first);
        AssertCoversTheCampaign(replay);
        foreach (var endpoint in _campaign.NumberByEndpoint.Keys)
        {
            Assert.True(first[endpoint] is { Status: "failed", Reason: "delivery-unknown" }, $"first run, {endpoint}: {first[endpoint]}");
            Assert.True(replay[endpoint].IsInProgress, $"replay, {endpoint}: {replay[endpoint]}");
        }

        Assert.Equal(50, gateway.Calls.Count);
        Assert.All(gateway.Calls, call => Assert.Equal(1, call.RecipientCall));
    }

    /// <summary>
    /// Kills run A (SIGKILL) once <see cref="KillAfterAccepted"/> messages are accepted, then replays: at once (the keys A
    /// completed are already-sent with A's ids, the keys A left claimed are in-progress, the rest are sent), and again
    /// after A's claims expire (the in-progress ones are sent). Exactly what was in flight is computed, not guessed: a
    /// message the sandbox accepted for A whose id A never recorded in the ledger. The Cloud API has no idempotency
    /// key, so nothing can tell that such a send arrived; after the claim expiry it goes out again. Every other number
    /// must get exactly one message, and at most one send per parallel slot of A can be in that state.
    /// </summary>
    /// <returns>The messages that were in flight at the kill (each sent twice in total).</returns>
    private async Task<IReadOnlyList<SandboxMessage>> KillMidBatchThenReplayAsync(bool killInsideAcceptance)
    {
        var victim = new TaskCompletionSource<HarnessProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource<(SandboxMessage? Trigger, DateTimeOffset At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acceptedCount = 0;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Latency = CrashLatency,
            PairRateWindow = null,
            OnAccepted = message =>
            {
                if (killInsideAcceptance && Interlocked.Increment(ref acceptedCount) == KillAfterAccepted)
                {
                    // Before the sandbox answers: the message is out, and A never learns its id.
                    victim.Task.GetAwaiter().GetResult().Kill();
                    killed.TrySetResult((message, DateTimeOffset.UtcNow));
                }
            },
        });
        var table = await dynalite.CreateTableAsync();
        var environment = HarnessEnvironment(table, CrashClaimLifetime, CrashConcurrency);

        using var a = StartHarness(sandbox, environment);
        victim.SetResult(a);
        var waitLimit = DateTimeOffset.UtcNow + RunTimeout;
        while (!killed.Task.IsCompleted)
        {
            if (a.HasExited && !killed.Task.IsCompleted)
            {
                var run = await a.WaitAsync(RunTimeout);
                Assert.Fail($"Run A ended (exit {run.ExitCode}) before it was killed. stderr:\n{run.StandardError}");
            }

            Assert.True(DateTimeOffset.UtcNow < waitLimit, $"Run A never got {KillAfterAccepted} messages accepted.");
            if (!killInsideAcceptance && sandbox.Messages.Count >= KillAfterAccepted)
            {
                a.Kill();
                killed.TrySetResult((null, DateTimeOffset.UtcNow));
            }

            await Task.Delay(5);
        }

        var (trigger, killedAt) = await killed.Task;
        await a.WaitAsync(RunTimeout);

        // A request that reached the sandbox before the kill is still answered (or dropped): wait until none is left.
        await sandbox.WaitUntilIdleAsync(RunTimeout);
        var atKill = sandbox.Messages;
        var ledger = await LedgerSnapshot.ReadAsync(dynalite, table);
        var completedIds = ledger.Completed.Select(item => item.MessageId!).ToHashSet(StringComparer.Ordinal);
        var inFlight = atKill.Where(m => !completedIds.Contains(m.Id)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"killed {(killInsideAcceptance ? "inside acceptance" : "from outside")}: accepted for A {atKill.Count} " +
            $"(after the kill {atKill.Count(m => m.AcceptedAt > killedAt)}), sandbox requests {sandbox.RequestCount}, " +
            $"ledger completed {ledger.Completed.Count}, claimed {ledger.Claimed.Count}, accepted but never recorded {inFlight.Count}"));

        Assert.InRange(atKill.Count, KillAfterAccepted, 49);
        AcceptedOncePerNumber(sandbox);
        Assert.Equal(ledger.Items.Count, ledger.Completed.Count + ledger.Claimed.Count);
        Assert.Subset(atKill.Select(m => m.Id).ToHashSet(StringComparer.Ordinal), completedIds);
        Assert.InRange(inFlight.Count, 0, Math.Min(CrashConcurrency, ledger.Claimed.Count));
        if (trigger is not null)
        {
            Assert.Contains(trigger.Id, inFlight.Select(m => m.Id));
        }

        // Replay at once: nothing is sent twice while A's claims hold.
        var firstReplay = (await RunAsync(sandbox, environment)).Response();
        var firstReplayDone = DateTimeOffset.UtcNow;
        var claimsExpire = ledger.Claimed.Select(item => item.ClaimExpiresAt!.Value).DefaultIfEmpty(killedAt).ToList();
        // Only claims the killed run left behind can expire during the replay; with none left there is nothing to race.
        Assert.True(ledger.Claimed.Count == 0 || firstReplayDone < claimsExpire.Min(),
            $"The first replay ended after A's claims expired ({firstReplayDone:O} >= {claimsExpire.Min():O}): this machine needs a longer claim lifetime for the test.");

        AssertCoversTheCampaign(firstReplay);
        Assert.All(firstReplay, pair => Assert.True(pair.Value.IsSent || pair.Value.IsAlreadySent || pair.Value.IsInProgress, $"{pair.Key}: {pair.Value}"));
        var recordedByA = atKill.Where(m => completedIds.Contains(m.Id))
            .ToDictionary(m => _campaign.EndpointByNumber[m.To], m => m.Id, StringComparer.Ordinal);
        Assert.Equal(
            recordedByA.OrderBy(pair => pair.Key, StringComparer.Ordinal),
            firstReplay.Where(pair => pair.Value.IsAlreadySent).Select(pair => KeyValuePair.Create(pair.Key, pair.Value.MessageId!)).OrderBy(pair => pair.Key, StringComparer.Ordinal));
        var inProgress = firstReplay.Where(pair => pair.Value.IsInProgress).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ledger.Claimed.Count, inProgress.Count);
        Assert.Subset(inProgress, inFlight.Select(m => _campaign.EndpointByNumber[m.To]).ToHashSet(StringComparer.Ordinal));
        var afterFirstReplay = AcceptedOncePerNumber(sandbox);
        Assert.Equal(50 - inProgress.Count + inFlight.Count, afterFirstReplay.Count);
        Assert.All(firstReplay.Where(pair => pair.Value.IsSent),
            pair => Assert.Equal(afterFirstReplay[_campaign.NumberByEndpoint[pair.Key]].Id, pair.Value.MessageId));

        // Replay after A's claims expired: the keys A left claimed go out now, everything else is already sent.
        var wait = claimsExpire.Max() + TimeSpan.FromMilliseconds(300) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var secondReplay = (await RunAsync(sandbox, environment)).Response();
        AssertCoversTheCampaign(secondReplay);
        Assert.All(secondReplay, pair => Assert.True(pair.Value.IsSent || pair.Value.IsAlreadySent, $"{pair.Key}: {pair.Value}"));
        Assert.Equal(
            inProgress.Order(StringComparer.Ordinal),
            secondReplay.Where(pair => pair.Value.IsSent).Select(pair => pair.Key).Order(StringComparer.Ordinal));

        var final = sandbox.Messages;
        var duplicated = inFlight.Select(m => m.To).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"sent twice: {duplicated.Count} of 50");
        Assert.Equal(50 + inFlight.Count, final.Count);
        foreach (var (endpoint, number) in _campaign.NumberByEndpoint)
        {
            var toNumber = final.Where(m => m.To == number).ToList();
            Assert.Equal(duplicated.Contains(number) ? 2 : 1, toNumber.Count);
            var reported = secondReplay[endpoint].MessageId;
            Assert.Contains(reported, toNumber.Select(m => m.Id));
        }

        return inFlight;
    }

    private Dictionary<string, string> HarnessEnvironment(string table, TimeSpan claimLifetime, int concurrency) => new(StringComparer.Ordinal)
    {
        ["IDEMPOTENCY_TABLE"] = table,
        ["IDEMPOTENCY_CLAIM_SECONDS"] = ((int)claimLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Endpoint.AbsoluteUri,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "AKIDREPLAYTEST",
        ["AWS_SECRET_ACCESS_KEY"] = "replay-secret-key",
        ["SEND_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["SEND_RATE_PER_SECOND"] = "1000",
    };

    private HarnessProcess StartHarness(SandboxServer sandbox, IReadOnlyDictionary<string, string> environment) =>
        HarnessProcess.Start(_campaign.Path, sandbox.BaseUrl, SandboxAccess.AccessToken, SandboxAccess.PhoneNumberId, environment);

    private async Task<HarnessRun> RunAsync(SandboxServer sandbox, IReadOnlyDictionary<string, string> environment)
    {
        using var harness = StartHarness(sandbox, environment);
        return await harness.WaitAsync(RunTimeout);
    }

    private async Task<HarnessRun> RunAsync(Uri graph, IReadOnlyDictionary<string, string> environment)
    {
        using var harness = HarnessProcess.Start(_campaign.Path, graph, SandboxAccess.AccessToken, SandboxAccess.PhoneNumberId, environment);
        return await harness.WaitAsync(RunTimeout);
    }

    private void AssertCoversTheCampaign(IReadOnlyDictionary<string, EndpointOutcome> response) =>
        Assert.Equal(_campaign.NumberByEndpoint.Keys.Order(StringComparer.Ordinal), response.Keys.Order(StringComparer.Ordinal));

    /// <summary>The sandbox's accepted messages by recipient; fails if any recipient got more than one.</summary>
    private static Dictionary<string, SandboxMessage> AcceptedOncePerNumber(SandboxServer sandbox)
    {
        var byNumber = sandbox.Messages.GroupBy(m => m.To, StringComparer.Ordinal).ToList();
        var repeated = byNumber.Where(g => g.Count() > 1).Select(g => $"******{g.Key[^4..]} x{g.Count()}").ToList();
        Assert.True(repeated.Count == 0, $"Recipients messaged more than once: {string.Join(", ", repeated)}");
        return byNumber.ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
    }
}
