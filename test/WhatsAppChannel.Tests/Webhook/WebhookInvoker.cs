using System.Text;
using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.Webhook;

/// <summary>Runs the real <see cref="WebhookFunction"/> on Function URL or SNS events, over one in-memory ledger, capturing its log.</summary>
internal sealed class WebhookInvoker
{
    private readonly StringBuilder _log = new();

    public WebhookInvoker(Dictionary<string, string>? settings = null)
    {
        Settings = settings ?? DefaultSettings();
        Ledger = new InMemoryLedger(TimeSpan.FromSeconds(120), TimeSpan.FromDays(7), Clock);
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = TestClock.Create();

    public InMemoryLedger Ledger { get; }

    public Dictionary<string, string> Settings { get; }

    public IReadOnlyList<string> LogLines => _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static Dictionary<string, string> DefaultSettings() => new()
    {
        ["FB_BUSINESS_PHONE_ID"] = "106540352242922",
        ["FB_APP_TOKEN"] = "EAAtest-token-9f8e7d6c5b4a3210",
        ["FB_APP_SECRET"] = MetaWebhookSender.AppSecret,
        ["WHATSAPP_WEBHOOK_VERIFY_TOKEN"] = MetaWebhookSender.VerifyToken,
    };

    public async Task<WebhookAnswer> InvokeAsync(string eventJson)
    {
        var options = new WebhookFunctionOptions { Ledger = Ledger, TimeProvider = Clock };
        using var log = new StringWriter(_log);
        await using var function = WebhookFunction.Create(FunctionConfiguration.FromLookup(Settings.GetValueOrDefault), log, options);
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        await using var output = await function.HandleAsync(input, new InvocationContext("req-1", DateTimeOffset.UtcNow.AddSeconds(30)), CancellationToken.None);
        using var document = await JsonDocument.ParseAsync(output);
        var root = document.RootElement;
        return new WebhookAnswer(
            root.GetProperty("statusCode").GetInt32(),
            root.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!),
            root.GetProperty("body").GetString()!);
    }

    public async Task<CampaignFunnel?> FunnelAsync(string campaignId) =>
        (await Ledger.ReadFunnelsAsync(campaignId, CancellationToken.None)).SingleOrDefault();

    /// <summary>Records a completed send of <paramref name="messageId"/> the way the sender does.</summary>
    public async Task SendAsync(string key, string messageId, string campaignId, string recipient = "16505551234")
    {
        await Ledger.TryClaimAsync(key, CancellationToken.None);
        await Ledger.CompleteAsync(key, new LedgerOutcome(messageId) { CampaignId = campaignId, RecipientHash = NumberHash.Of(recipient) }, CancellationToken.None);
    }
}

internal sealed record WebhookAnswer(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body);
