using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Idempotency;

/// <summary>What every ledger promises (claims, completion, expiry, release; delivery statuses, opt-outs and the funnel
/// report), run against each implementation.
/// <see cref="NewInstance"/> stands for another invocation: another function instance or process where the
/// ledger is shared, the same object where it is not.</summary>
public abstract class LedgerContractTests
{
    protected static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(120);
    protected static readonly TimeSpan RecordLifetime = TimeSpan.FromDays(7);
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected FakeTimeProvider Clock { get; } = TestClock.Create();

    private protected abstract IIdempotencyLedger NewInstance();

    [Fact]
    public async Task A_new_key_is_claimed()
    {
        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, claim.Status);
        Assert.Null(claim.MessageId);
    }

    [Fact]
    public async Task A_completed_key_is_already_sent_with_its_message_id()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);

        var claim = await NewInstance().TryClaimAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.first"), claim);
    }

    [Fact]
    public async Task A_completed_key_stays_sent_after_the_claim_lifetime()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.first"), Ct);
        Clock.Advance(ClaimLifetime * 10);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.first"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_live_claim_is_in_progress()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime - TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task An_expired_claim_is_taken_over_once()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_record_past_its_lifetime_is_claimed_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.old"), Ct);
        Clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_completed_key_does_not_allow_a_second_send()
    {
        var first = NewInstance();
        await first.TryClaimAsync("k", Ct);
        await first.CompleteAsync("k", new LedgerOutcome("wamid.1"), Ct);
        await first.ReleaseAsync("k", Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.1"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task Releasing_an_unknown_key_does_nothing()
    {
        var ledger = NewInstance();

        await ledger.ReleaseAsync("never-claimed", Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await ledger.TryClaimAsync("never-claimed", Ct)).Status);
    }

    [Fact]
    public async Task Keys_are_independent()
    {
        var first = NewInstance();
        await first.TryClaimAsync("a", Ct);
        await first.CompleteAsync("a", new LedgerOutcome("wamid.a"), Ct);

        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("b", Ct)).Status);
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("A", Ct)).Status);
    }

    [Fact]
    public async Task A_send_completed_after_its_claim_was_taken_over_still_counts_as_sent()
    {
        var slow = NewInstance();
        await slow.TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        await NewInstance().TryClaimAsync("k", Ct);

        await slow.CompleteAsync("k", new LedgerOutcome("wamid.slow"), Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.slow"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task Concurrent_claims_from_two_instances_have_exactly_one_winner()
    {
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => instances[i % 2].TryClaimAsync("k", Ct))));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
        Assert.All(results.Where(r => r.Status != LedgerClaimStatus.Claimed), r => Assert.Equal(LedgerClaimStatus.InProgress, r.Status));
    }

    [Fact]
    public async Task Concurrent_takeovers_of_an_expired_claim_have_exactly_one_winner()
    {
        await NewInstance().TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => instances[i % 2].TryClaimAsync("k", Ct))));

        Assert.Single(results, r => r.Status == LedgerClaimStatus.Claimed);
    }

    [Fact]
    public async Task Two_instances_sending_a_batch_at_once_claim_each_key_once()
    {
        using var keyOf = new IdempotencyKeys("app", "camp", "0", "act", "t", "{}");
        var keys = Enumerable.Range(0, 50).Select(i => keyOf.For($"ep-{i}")).ToArray();
        var instances = new[] { NewInstance(), NewInstance() };

        var results = await Task.WhenAll(instances.SelectMany(ledger => keys.Select(async key => (key, claim: await ledger.TryClaimAsync(key, Ct)))));

        Assert.All(results.GroupBy(r => r.key), g => Assert.Single(g, r => r.claim.Status == LedgerClaimStatus.Claimed));
    }

    [Fact]
    public async Task A_canceled_call_is_canceled_and_claims_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewInstance().TryClaimAsync("k", canceled.Token));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    // Statuses and opt-outs: every ledger keeps them beside its send records (the webhook writes, the sender and the report read).
    private protected IDeliveryStatusLedger NewStatusInstance() => (IDeliveryStatusLedger)NewInstance();

    private async Task SendAsync(string key, string messageId, string campaign = "spring-sale", string recipient = "16505551234")
    {
        var sender = NewInstance();
        await sender.TryClaimAsync(key, Ct);
        await sender.CompleteAsync(key, new LedgerOutcome(messageId) { CampaignId = campaign, RecipientHash = NumberHash.Of(recipient) }, Ct);
    }

    [Fact]
    public async Task The_furthest_status_wins_and_duplicates_or_late_statuses_change_nothing()
    {
        await SendAsync("k", "wamid.A");
        var webhook = NewStatusInstance();

        Assert.True(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered), Ct));
        Assert.True(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Sent), Ct));

        var funnel = Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct));
        Assert.Equal((1, 1, 1, 0), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
    }

    [Fact]
    public async Task A_failure_is_final_and_keeps_its_error_code()
    {
        await SendAsync("k", "wamid.A");
        var webhook = NewStatusInstance();

        Assert.True(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Failed, "131049"), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Failed, "131026"), Ct));
        Assert.False(await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));

        var funnel = Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct));
        Assert.Equal((1, 0, 0, 1), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
        Assert.Equal(new Dictionary<string, int> { ["131049"] = 1 }, funnel.FailedByCode);
    }

    [Fact]
    public async Task A_failure_without_a_code_counts_as_unknown()
    {
        await SendAsync("k", "wamid.A");

        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Failed), Ct);

        Assert.Equal(new Dictionary<string, int> { ["unknown"] = 1 }, Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct)).FailedByCode);
    }

    [Fact]
    public async Task Concurrent_statuses_of_one_message_end_in_the_furthest()
    {
        await SendAsync("k", "wamid.A");
        var states = new[] { DeliveryState.Sent, DeliveryState.Delivered, DeliveryState.Read, DeliveryState.Delivered, DeliveryState.Sent, DeliveryState.Read };

        var moved = await Task.WhenAll(states.Select(state => Task.Run(() => NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", state), Ct))));

        Assert.Single(moved.Where((m, i) => m && states[i] == DeliveryState.Read));
        var funnel = Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct));
        Assert.Equal((1, 1, 1), (funnel.Sent, funnel.Delivered, funnel.Read));
    }

    [Fact]
    public async Task A_status_before_the_send_completes_is_kept()
    {
        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered), Ct);

        await SendAsync("k", "wamid.A");

        var funnel = Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct));
        Assert.Equal(("spring-sale", 1, 1), (funnel.CampaignId, funnel.Sent, funnel.Delivered));
    }

    [Fact]
    public async Task The_idempotency_key_in_a_status_resolves_a_send_whose_answer_was_lost()
    {
        var key = new string('b', 64);
        await NewInstance().TryClaimAsync(key, Ct);

        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.lost", DeliveryState.Sent, IdempotencyKey: key), Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.lost"), await NewInstance().TryClaimAsync(key, Ct));
    }

    [Fact]
    public async Task The_idempotency_key_never_overwrites_a_completed_send()
    {
        await SendAsync("k", "wamid.A");

        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.other", DeliveryState.Sent, IdempotencyKey: "k"), Ct);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.A"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_message_a_status_found_first_counts_for_the_campaign_the_status_names()
    {
        var key = new string('c', 64);
        await NewInstance().TryClaimAsync(key, Ct);

        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.lost", DeliveryState.Sent, IdempotencyKey: key, CampaignId: "spring-sale"), Ct);
        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.lost", DeliveryState.Read, CampaignId: "spring-sale"), Ct);

        var funnel = Assert.Single(await NewStatusInstance().ReadFunnelsAsync("spring-sale", Ct));
        Assert.Equal((1, 1, 1), (funnel.Sent, funnel.Delivered, funnel.Read));
    }

    [Fact]
    public async Task The_campaign_a_status_names_never_replaces_the_one_the_send_recorded()
    {
        await SendAsync("k", "wamid.A", campaign: "spring-sale");

        await NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Delivered, CampaignId: "other"), Ct);

        Assert.Equal("spring-sale", Assert.Single(await NewStatusInstance().ReadFunnelsAsync(null, Ct)).CampaignId);
    }

    [Fact]
    public async Task Opt_outs_are_found_in_one_batch_and_lifted()
    {
        var webhook = NewStatusInstance();
        var stopped = NumberHash.Of("16505551234");
        await webhook.SetOptOutAsync(stopped, optedOut: true, Ct);
        await webhook.SetOptOutAsync(stopped, optedOut: true, Ct);
        var asked = Enumerable.Range(0, 150).Select(i => NumberHash.Of($"4477009{i:D5}")).Append(stopped).ToList();

        Assert.Equal([stopped], await NewStatusInstance().FindOptedOutAsync(asked, Ct));
        Assert.Empty(await NewStatusInstance().FindOptedOutAsync([], Ct));

        await webhook.SetOptOutAsync(stopped, optedOut: false, Ct);
        Assert.Empty(await NewStatusInstance().FindOptedOutAsync(asked, Ct));
    }

    [Fact]
    public async Task The_funnel_counts_each_campaign_once_per_message()
    {
        await SendAsync("k1", "wamid.1", recipient: "16505550001");
        await SendAsync("k2", "wamid.2", recipient: "16505550002");
        await SendAsync("k3", "wamid.3", recipient: "16505550003");
        await SendAsync("k4", "wamid.4", campaign: "other", recipient: "16505550004");
        var webhook = NewStatusInstance();
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.1", DeliveryState.Read), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.2", DeliveryState.Delivered), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.3", DeliveryState.Failed, "131049"), Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.unknown", DeliveryState.Read), Ct);
        await webhook.SetOptOutAsync(NumberHash.Of("16505550002"), optedOut: true, Ct);

        var funnels = await NewStatusInstance().ReadFunnelsAsync(null, Ct);

        Assert.Equal(["other", "spring-sale"], funnels.Select(f => f.CampaignId));
        var spring = funnels[1];
        Assert.Equal((3, 2, 1, 1, 1), (spring.Sent, spring.Delivered, spring.Read, spring.Failed, spring.OptedOut));
        Assert.Equal(new Dictionary<string, int> { ["131049"] = 1 }, spring.FailedByCode);
        Assert.Equal("other", Assert.Single(await webhook.ReadFunnelsAsync("other", Ct)).CampaignId);
        Assert.Empty(await webhook.ReadFunnelsAsync("nobody", Ct));
    }
}

/// <summary>The contract of a ledger that several instances or processes share: a claim is released only by
/// the instance that holds it (its claim token), never by another one or after a takeover.</summary>
public abstract class SharedLedgerContractTests : LedgerContractTests
{
    [Fact]
    public async Task An_instance_cannot_release_a_claim_it_does_not_hold()
    {
        await NewInstance().TryClaimAsync("k", Ct);

        await NewInstance().ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }

    [Fact]
    public async Task Releasing_a_claim_taken_over_by_another_instance_leaves_the_new_claim()
    {
        var slow = NewInstance();
        await slow.TryClaimAsync("k", Ct);
        Clock.Advance(ClaimLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(LedgerClaimStatus.Claimed, (await NewInstance().TryClaimAsync("k", Ct)).Status);

        await slow.ReleaseAsync("k", Ct);

        Assert.Equal(LedgerClaimStatus.InProgress, (await NewInstance().TryClaimAsync("k", Ct)).Status);
    }
}
