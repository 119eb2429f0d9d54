using System.Text.Json;
using System.Text.Json.Nodes;
using WhatsAppChannel.Idempotency;
using static WhatsAppChannel.TestSupport.MetaWebhookSender;

namespace WhatsAppChannel.Tests.Webhook;

public sealed class WebhookStatusTests
{
    private const string Campaign = "spring-sale";
    private readonly WebhookInvoker _webhook = new();

    private async Task<CampaignFunnel> AfterAsync(params string[][] deliveries)
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);
        foreach (var statuses in deliveries)
        {
            Assert.Equal(200, (await _webhook.InvokeAsync(Post(Statuses(statuses)))).StatusCode);
        }

        return (await _webhook.FunnelAsync(Campaign))!;
    }

    [Fact]
    public async Task Sent_then_delivered_then_read_ends_read_and_counts_as_delivered_too()
    {
        var funnel = await AfterAsync([Status("wamid.A", "sent")], [Status("wamid.A", "delivered")], [Status("wamid.A", "read")]);

        Assert.Equal((1, 1, 1, 0), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
    }

    [Fact]
    public async Task Statuses_in_reverse_order_change_nothing_after_the_furthest()
    {
        var funnel = await AfterAsync([Status("wamid.A", "read")], [Status("wamid.A", "delivered")], [Status("wamid.A", "sent")]);

        Assert.Equal((1, 1, 1, 0), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
        Assert.Equal(1, RecordedLines(true));
        Assert.Equal(2, RecordedLines(false));
    }

    [Fact]
    public async Task A_duplicate_status_is_answered_ok_and_not_counted_again()
    {
        await AfterAsync([Status("wamid.A", "delivered")], [Status("wamid.A", "delivered")]);

        Assert.Equal(1, Metric("Delivered"));
    }

    [Fact]
    public async Task Two_statuses_of_one_message_in_one_payload_keep_the_furthest()
    {
        var funnel = await AfterAsync([Status("wamid.A", "read"), Status("wamid.A", "delivered")]);

        Assert.Equal(1, funnel.Read);
    }

    [Fact]
    public async Task A_failure_keeps_its_error_code_and_is_final()
    {
        var funnel = await AfterAsync([Status("wamid.A", "failed", errorCode: 131049)], [Status("wamid.A", "delivered")], [Status("wamid.A", "read")], [Status("wamid.A", "failed", errorCode: 131026)]);

        Assert.Equal((1, 0, 0, 1), (funnel.Sent, funnel.Delivered, funnel.Read, funnel.Failed));
        Assert.Equal(new Dictionary<string, int> { ["131049"] = 1 }, funnel.FailedByCode);
    }

    [Fact]
    public async Task A_failure_after_delivery_is_recorded_as_failed()
    {
        var funnel = await AfterAsync([Status("wamid.A", "delivered")], [Status("wamid.A", "failed", errorCode: 131026)]);

        Assert.Equal((0, 1), (funnel.Delivered, funnel.Failed));
    }

    [Fact]
    public async Task A_status_before_the_send_is_recorded_is_kept_when_the_send_completes()
    {
        Assert.Equal(200, (await _webhook.InvokeAsync(Post(Statuses(Status("wamid.A", "delivered"))))).StatusCode);
        await _webhook.SendAsync("k1", "wamid.A", Campaign);

        Assert.Equal(1, (await _webhook.FunnelAsync(Campaign))!.Delivered);
    }

    [Fact]
    public async Task Statuses_of_messages_we_never_sent_are_answered_ok_and_kept_out_of_every_campaign()
    {
        var answer = await _webhook.InvokeAsync(Post(Statuses(Status("wamid.someone-else", "read"))));

        Assert.Equal(200, answer.StatusCode);
        Assert.Empty(await _webhook.Ledger.ReadFunnelsAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Metrics_count_delivered_read_and_failures_by_error_code_per_function_and_per_number_in_emf()
    {
        await _webhook.SendAsync("k2", "wamid.B", Campaign, "447700900123");
        await _webhook.SendAsync("k3", "wamid.C", Campaign, "447700900124");
        await AfterAsync([Status("wamid.A", "delivered"), Status("wamid.B", "read"), Status("wamid.C", "failed", errorCode: 131049)]);

        Assert.Equal(1, Metric("Delivered"));
        Assert.Equal(1, Metric("Read"));
        var failed = _webhook.LogLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.TryGetProperty("DeliveryFailed", out _));
        Assert.Equal("131049", failed.GetProperty("ErrorCode").GetString());
        Assert.Equal(1, failed.GetProperty("DeliveryFailed").GetInt32());
        Assert.Equal(BusinessPhoneNumberId, failed.GetProperty("PhoneNumberId").GetString());
        Assert.Equal(
            [["Service", "ErrorCode"], ["Service", "PhoneNumberId", "ErrorCode"]],
            DimensionSets(failed));
        var moved = _webhook.LogLines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.TryGetProperty("Delivered", out _));
        Assert.Equal(BusinessPhoneNumberId, moved.GetProperty("PhoneNumberId").GetString());
        Assert.Equal([["Service"], ["Service", "PhoneNumberId"]], DimensionSets(moved));
    }

    [Fact]
    public async Task Statuses_of_two_numbers_in_one_call_are_counted_per_number()
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);
        await _webhook.SendAsync("k2", "wamid.B", Campaign, "447700900123");
        var other = Statuses(Status("wamid.B", "delivered")).Replace(BusinessPhoneNumberId, "106540352242923", StringComparison.Ordinal);
        var both = JsonNode.Parse(Statuses(Status("wamid.A", "delivered")))!;
        both["entry"]!.AsArray().Add(JsonNode.Parse(other)!["entry"]![0]!.DeepClone());

        Assert.Equal(200, (await _webhook.InvokeAsync(Post(both.ToJsonString()))).StatusCode);

        var counts = _webhook.LogLines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("Delivered", out _))
            .ToDictionary(e => e.GetProperty("PhoneNumberId").GetString()!, e => e.GetProperty("Delivered").GetInt32());
        Assert.Equal(new Dictionary<string, int> { [BusinessPhoneNumberId] = 1, ["106540352242923"] = 1 }, counts);
    }

    private static string[][] DimensionSets(JsonElement document) =>
        [.. document.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions").EnumerateArray()
            .Select(set => set.EnumerateArray().Select(d => d.GetString()!).ToArray())];

    [Fact]
    public async Task Every_status_gets_one_log_line_with_the_recipient_masked()
    {
        await AfterAsync([Status("wamid.A", "delivered", recipient: "16505551234"), Status("wamid.A", "read", recipient: "16505551234")]);

        var lines = _webhook.LogLines.Where(l => l.Contains("\"delivery status\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Contains("\"recipient\":\"******1234\"", l, StringComparison.Ordinal));
        Assert.DoesNotContain(_webhook.LogLines, l => l.Contains("16505551234", StringComparison.Ordinal) || l.Contains(AppSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thousand_statuses_in_one_payload_are_all_recorded()
    {
        var statuses = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            await _webhook.SendAsync($"k{i}", $"wamid.{i}", Campaign, $"1650555{i:D4}");
            statuses.Add(Status($"wamid.{i}", i % 2 == 0 ? "delivered" : "read", recipient: $"1650555{i:D4}"));
        }

        var answer = await _webhook.InvokeAsync(Post(Statuses([.. statuses])));

        Assert.Equal(200, answer.StatusCode);
        var funnel = (await _webhook.FunnelAsync(Campaign))!;
        Assert.Equal((1000, 1000, 500), (funnel.Sent, funnel.Delivered, funnel.Read));
    }

    [Fact]
    public async Task A_status_carrying_the_idempotency_key_resolves_a_send_whose_answer_was_lost()
    {
        var key = new string('a', 64);
        await _webhook.Ledger.TryClaimAsync(key, CancellationToken.None);

        await _webhook.InvokeAsync(Post(Statuses(Status("wamid.lost", "sent", callbackData: key))));

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.lost"), await _webhook.Ledger.TryClaimAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task A_send_resolved_through_its_callback_data_counts_for_the_campaign_the_callback_data_names()
    {
        var key = new string('a', 64);
        await _webhook.Ledger.TryClaimAsync(key, CancellationToken.None);

        await _webhook.InvokeAsync(Post(Statuses(Status("wamid.lost", "sent", callbackData: key + ":" + Campaign))));
        await _webhook.InvokeAsync(Post(Statuses(Status("wamid.lost", "read", callbackData: key + ":" + Campaign))));

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.lost"), await _webhook.Ledger.TryClaimAsync(key, CancellationToken.None));
        var funnel = (await _webhook.FunnelAsync(Campaign))!;
        Assert.Equal((1, 1, 1), (funnel.Sent, funnel.Delivered, funnel.Read));
    }

    [Fact]
    public async Task Callback_data_that_is_not_an_idempotency_key_touches_no_send_record()
    {
        await _webhook.Ledger.TryClaimAsync("claimed-key", CancellationToken.None);

        await _webhook.InvokeAsync(Post(Statuses(Status("wamid.other", "sent", callbackData: "claimed-key"))));

        Assert.Equal(LedgerClaimStatus.InProgress, (await _webhook.Ledger.TryClaimAsync("claimed-key", CancellationToken.None)).Status);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("""{"object":"whatsapp_business_account","entry":"nope"}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":5}]}}]}]}""")]
    public async Task A_signed_body_that_is_not_a_notification_is_400(string body)
    {
        var answer = await _webhook.InvokeAsync(Post(body));

        Assert.Equal(400, answer.StatusCode);
    }

    [Theory]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"event":"VERIFIED_ACCOUNT","phone_number":"16505551234"}}]}]}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","time":1750000000,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":12345}}]}]}""")]
    [InlineData("""{"object":"page","entry":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.A","status":"deleted","new_field":{"x":[1,2]}}],"messages":[{"from":"16505551234","id":"wamid.I","type":"image","image":{"id":"1"}}],"errors":[{"code":131051}]}}]}]}""")]
    public async Task Unknown_fields_and_event_kinds_are_answered_ok(string body)
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);

        var answer = await _webhook.InvokeAsync(Post(body));

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(0, (await _webhook.FunnelAsync(Campaign))!.Delivered);
    }

    [Fact]
    public async Task An_end_user_messaging_social_event_through_sns_is_recorded_without_a_signature()
    {
        var funnel = await AfterAsyncSns(Statuses(Status("wamid.A", "read")));

        Assert.Equal(1, funnel.Read);
    }

    [Fact]
    public async Task An_sns_message_that_is_not_an_end_user_messaging_social_event_is_skipped()
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);
        var sns = Sns(Statuses(Status("wamid.A", "read"))).Replace("whatsAppWebhookEntry", "somethingElse", StringComparison.Ordinal);

        var answer = await _webhook.InvokeAsync(sns);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(0, (await _webhook.FunnelAsync(Campaign))!.Read);
    }

    [Fact]
    public async Task A_webhook_on_the_aws_transport_records_sns_events_with_no_meta_secret_and_warns_of_none()
    {
        var webhook = new WebhookInvoker(new Dictionary<string, string>
        {
            ["WHATSAPP_TRANSPORT"] = "aws",
            ["AWS_EUMS_PHONE_NUMBER_ID"] = "phone-number-id-0123456789abcdef0123456789abcdef",
            ["AWS_REGION"] = "eu-west-1",
        });
        await webhook.SendAsync("k1", "wamid.A", Campaign);

        Assert.Equal(200, (await webhook.InvokeAsync(Sns(Statuses(Status("wamid.A", "delivered"))))).StatusCode);

        Assert.Equal(1, (await webhook.FunnelAsync(Campaign))!.Delivered);
        Assert.DoesNotContain(webhook.LogLines, l => l.Contains("\"level\":\"Warning\"", StringComparison.Ordinal));
        Assert.Contains(webhook.LogLines, l => l.Contains("through SNS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_on_the_meta_transport_warns_when_it_cannot_check_metas_calls()
    {
        var settings = WebhookInvoker.DefaultSettings();
        settings.Remove("FB_APP_SECRET");
        settings.Remove("WHATSAPP_WEBHOOK_VERIFY_TOKEN");
        var webhook = new WebhookInvoker(settings);

        await webhook.InvokeAsync(Sns(Statuses(Status("wamid.A", "delivered"))));

        var warnings = webhook.LogLines.Where(l => l.Contains("\"level\":\"Warning\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, l => l.Contains("FB_APP_SECRET", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.Contains("WHATSAPP_WEBHOOK_VERIFY_TOKEN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{\"requestContext\":{\"http\":{\"method\":\"DELETE\"}}}")]
    public async Task Events_that_are_neither_a_function_url_request_nor_sns_are_refused(string payload)
    {
        var answer = await _webhook.InvokeAsync(payload);

        Assert.InRange(answer.StatusCode, 400, 405);
    }

    private async Task<CampaignFunnel> AfterAsyncSns(string notification)
    {
        await _webhook.SendAsync("k1", "wamid.A", Campaign);
        Assert.Equal(200, (await _webhook.InvokeAsync(Sns(notification))).StatusCode);
        return (await _webhook.FunnelAsync(Campaign))!;
    }

    private int RecordedLines(bool recorded) =>
        _webhook.LogLines.Count(l => l.Contains("\"delivery status\"", StringComparison.Ordinal) && l.Contains($"\"recorded\":{(recorded ? "true" : "false")}", StringComparison.Ordinal));

    private int Metric(string name) =>
        _webhook.LogLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty(name, out _))
            .Sum(e => e.GetProperty(name).GetInt32());
}
