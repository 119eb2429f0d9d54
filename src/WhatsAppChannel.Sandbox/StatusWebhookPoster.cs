using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// Plays Meta's part after a send: posts signed status webhooks (<c>X-Hub-Signature-256</c>, HMAC-SHA256 of the body
/// with the app secret) for each accepted message: sent, delivered, then read, a <see cref="SandboxOptions.StatusDelay"/>
/// apart; recipients ending in <see cref="SandboxOptions.MarketingLimitSuffix"/> or
/// <see cref="SandboxOptions.UndeliverableAfterSendSuffix"/> get sent, then failed with 131049 or 131026.
/// Each status is recorded for the preview page as it goes out.
/// </summary>
internal sealed class StatusWebhookPoster : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Uri _url;
    private readonly DeliveryStatuses _board;
    private readonly byte[] _appSecret;
    private readonly string _phoneNumberId;
    private readonly string _businessAccountId;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _pending = [];
    private int _posted;
    private int _refused;

    public StatusWebhookPoster(Uri url, string appSecret, string phoneNumberId, string businessAccountId, TimeSpan delay, DeliveryStatuses board)
    {
        _board = board;
        _businessAccountId = businessAccountId;
        _url = url;
        _appSecret = Encoding.UTF8.GetBytes(appSecret);
        _phoneNumberId = phoneNumberId;
        _delay = delay;
    }

    /// <summary>Status webhooks the receiver answered 2xx.</summary>
    public int Posted => Volatile.Read(ref _posted);

    /// <summary>Status webhooks answered otherwise or not at all (Meta would retry them; the sandbox does not).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Schedules the statuses of <paramref name="message"/>; returns at once.</summary>
    public void Schedule(SandboxMessage message)
    {
        lock (_lock)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(Task.Run(() => PostStatusesAsync(message, _stopping.Token)));
        }
    }

    /// <summary>Waits until every scheduled status was posted, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await DrainAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task PostStatusesAsync(SandboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (status, code) in Timeline(message.To))
            {
                await Task.Delay(_delay, cancellationToken).ConfigureAwait(false);
                _board.Record(message.Id, new DeliveryStatus(status, code));
                await PostAsync(Notification(message, status, code), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The sandbox is stopping.
        }
    }

    /// <summary>The statuses a message to <paramref name="to"/> goes through, one <see cref="SandboxOptions.StatusDelay"/> apart.</summary>
    public static (string Status, int? ErrorCode)[] Timeline(string to) =>
        to.EndsWith(SandboxOptions.MarketingLimitSuffix, StringComparison.Ordinal) ? [("sent", null), ("failed", 131049)]
        : to.EndsWith(SandboxOptions.UndeliverableAfterSendSuffix, StringComparison.Ordinal) ? [("sent", null), ("failed", 131026)]
        : [("sent", null), ("delivered", null), ("read", null)];

    private async Task PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_appSecret, body)));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _posted : ref _refused);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _refused);
        }
    }

    /// <summary>Meta's status notification (WhatsApp Business Account, field "messages") for one message.</summary>
    private byte[] Notification(SandboxMessage message, string status, int? errorCode)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("object", "whatsapp_business_account");
            w.WriteStartArray("entry");
            w.WriteStartObject();
            w.WriteString("id", _businessAccountId);
            w.WriteStartArray("changes");
            w.WriteStartObject();
            w.WriteString("field", "messages");
            w.WriteStartObject("value");
            w.WriteString("messaging_product", "whatsapp");
            w.WriteStartObject("metadata");
            w.WriteString("display_phone_number", "15550000001");
            w.WriteString("phone_number_id", _phoneNumberId);
            w.WriteEndObject();
            w.WriteStartArray("statuses");
            w.WriteStartObject();
            w.WriteString("id", message.Id);
            w.WriteString("status", status);
            w.WriteString("timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            w.WriteString("recipient_id", message.To);
            if (message.CallbackData is { } callbackData)
            {
                w.WriteString("biz_opaque_callback_data", callbackData);
            }

            if (errorCode is not null)
            {
                w.WriteStartArray("errors");
                w.WriteStartObject();
                w.WriteNumber("code", errorCode.Value);
                w.WriteString("title", errorCode == 131049
                    ? "This message was not delivered to maintain healthy ecosystem engagement."
                    : "Message undeliverable");
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
