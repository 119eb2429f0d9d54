using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using WhatsAppChannel.Observability;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Sends template messages to the Cloud API. One instance (one pooled HttpClient) per process.</summary>
internal sealed class WhatsAppClient : IDisposable
{
    /// <summary>The most of an answer ever read: Meta's answers are well under 1 KB, and a broken or hostile gateway
    /// must not make a batch of sends hold their whole answers in memory.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Meta's "throughput reached" for the sender number (also quoted by AWS when it passes Meta's error on).</summary>
    public const string ThroughputExceededCode = "130429";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _versionUrl;
    private readonly TimeProvider _time;

    // One URL per sender number and edge (messages, marketing_messages), built once.
    private readonly ConcurrentDictionary<(string PhoneNumberId, string Edge), Uri> _messagesUris = new();

    /// <param name="handler">The transport; it must not follow redirects, so the token stays with the Graph host.</param>
    public WhatsAppClient(Uri baseUrl, string apiVersion, HttpMessageHandler handler, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(time);
        _versionUrl = $"{baseUrl.AbsoluteUri.TrimEnd('/')}/{apiVersion}/";
        // Each attempt's time limit comes with its cancellation token.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _time = time;
    }

    /// <summary>The handler for production: pooled, no redirects, short connect timeout.</summary>
    /// <param name="baseUrl">The Graph base URL. Plain http (loopback only) never goes through a proxy, which would
    /// see the token in clear text; https honors HTTPS_PROXY/NO_PROXY, where a proxy only relays the encrypted tunnel.</param>
    public static SocketsHttpHandler CreateDefaultHandler(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new SocketsHttpHandler
        {
            // A server that caps streams per connection gets a second connection instead of a queue.
            EnableMultipleHttp2Connections = true,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 64,
            UseCookies = false,
            UseProxy = baseUrl.Scheme == Uri.UriSchemeHttps,
        };
    }

    /// <summary>Sends one message from <paramref name="phoneNumberId"/> and says what came of it; never throws for the
    /// transport or for cancellation.</summary>
    /// <param name="attemptToken">Canceled when this attempt must be given up: what was sent may then have arrived.</param>
    public Task<SendAttempt> SendAsync(string phoneNumberId, byte[] body, string accessToken, CancellationToken attemptToken) =>
        SendToAsync(phoneNumberId, "messages", body, accessToken, attemptToken);

    /// <summary>As <see cref="SendAsync"/>, through Meta's Marketing Messages API (<c>/marketing_messages</c>, same body),
    /// which takes MARKETING templates only.</summary>
    public Task<SendAttempt> SendMarketingAsync(string phoneNumberId, byte[] body, string accessToken, CancellationToken attemptToken) =>
        SendToAsync(phoneNumberId, "marketing_messages", body, accessToken, attemptToken);

    private async Task<SendAttempt> SendToAsync(string phoneNumberId, string edge, byte[] body, string accessToken, CancellationToken attemptToken)
    {
        var messagesUri = _messagesUris.GetOrAdd((phoneNumberId, edge), static (key, prefix) => new Uri($"{prefix}{key.PhoneNumberId}/{key.Edge}"), _versionUrl);

        // HTTP/2 when the host offers it (ALPN): one TLS connection carries a whole batch. HTTP/1.1 otherwise.
        using var request = new HttpRequestMessage(HttpMethod.Post, messagesUri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = JsonContentType;

        HttpResponseMessage response;
        try
        {
            // Headers first: a success whose body is then cut off must be known as a success (not resent).
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return SendAttempt.TimedOut("WhatsApp");
        }
        catch (HttpRequestException ex)
        {
            return SendAttempt.TransportFailed(ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            var buffer = ArrayPool<byte>.Shared.Rent(MaxAnswerBytes);
            try
            {
                var (length, complete, cutOff) = await ReadPrefixAsync(response.Content, buffer, attemptToken).ConfigureAwait(false);
                var attempt = Interpret(status, buffer.AsSpan(0, length), complete) with { RetryAfter = retryAfter };
                return SendAttempt.UnlessCutOff(attempt, status, cutOff);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads the answer up to <see cref="MaxAnswerBytes"/>; the rest is left unread (the connection is
    /// then drained or dropped by the handler).</summary>
    /// <returns>Bytes read; whether that is the whole answer; whether the connection failed before its end.</returns>
    internal static async Task<(int Length, bool Complete, bool CutOff)> ReadPrefixAsync(HttpContent content, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (length < MaxAnswerBytes)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length, MaxAnswerBytes - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (length, true, false);
                    }

                    length += read;
                }

                return (length, false, false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // What arrived may still hold the message id.
            return (length, false, true);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>Reads the Cloud API's answer (success or Meta's error shape).</summary>
    /// <param name="complete">False when <paramref name="payload"/> is only the start of the answer.</param>
    public static SendAttempt Interpret(int httpStatus, ReadOnlySpan<byte> payload, bool complete = true)
    {
        var answer = GraphAnswer.Read(payload, complete);
        var success = httpStatus is >= 200 and < 300;
        if (success && answer.MessageId is { } id)
        {
            return new SendAttempt(SendOutcome.Accepted) { HttpStatus = httpStatus, MessageId = id, MayHaveBeenDelivered = true };
        }

        if (answer.HasError)
        {
            return new SendAttempt(SendOutcome.Rejected)
            {
                HttpStatus = httpStatus,
                ErrorCode = answer.ErrorCode ?? httpStatus.ToString(CultureInfo.InvariantCulture),
                // Meta may quote the recipient's number; the reason travels to logs and to Pinpoint.
                ErrorMessage = PhoneMask.MaskNumbersIn(Describe(answer)),
                ThroughputExceeded = answer.ErrorCode == ThroughputExceededCode,
            };
        }

        return success
            ? new SendAttempt(SendOutcome.NoAnswer) { HttpStatus = httpStatus, ErrorCode = "invalid-response", ErrorMessage = "WhatsApp answered success without a message id", MayHaveBeenDelivered = true }
            : new SendAttempt(SendOutcome.Rejected)
            {
                HttpStatus = httpStatus,
                ErrorCode = httpStatus.ToString(CultureInfo.InvariantCulture),
                ErrorMessage = $"HTTP {httpStatus} without a readable error",
                // A gateway's 502/504 can follow a message WhatsApp accepted: only Meta's own error body proves it was not.
                MayHaveBeenDelivered = httpStatus >= 500,
            };
    }

    private static string Describe(GraphAnswer error)
    {
        var message = string.IsNullOrWhiteSpace(error.ErrorMessage) ? "WhatsApp rejected the message" : error.ErrorMessage.Trim();
        if (error.ErrorDetails is { Length: > 0 } details && !message.Contains(details, StringComparison.Ordinal))
        {
            message += ": " + details;
        }

        return message;
    }

    public void Dispose() => _http.Dispose();
}
