using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using WhatsAppChannel.Observability;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Sends template messages to the Cloud API. One instance (one pooled HttpClient) per process.</summary>
internal sealed class WhatsAppClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _versionUrl;

    // One messages URL per sender number, built once.
    private readonly ConcurrentDictionary<string, Uri> _messagesUris = new(StringComparer.Ordinal);

    /// <param name="handler">The transport; it must not follow redirects, so the token stays with the Graph host.</param>
    public WhatsAppClient(Uri baseUrl, string apiVersion, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _versionUrl = $"{baseUrl.AbsoluteUri.TrimEnd('/')}/{apiVersion}/";
        // Each attempt has its own deadline-derived timeout.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The handler for production: pooled, no redirects, short connect timeout.</summary>
    public static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        // A server that caps streams per connection gets a second connection instead of a queue.
        EnableMultipleHttp2Connections = true,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 64,
        UseCookies = false,
    };

    /// <summary>Sends one message from <paramref name="phoneNumberId"/>. Returns the outcome; throws only when
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">This attempt's time limit.</param>
    public async Task<SendAttempt> SendAsync(string phoneNumberId, byte[] body, string accessToken, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var messagesUri = _messagesUris.GetOrAdd(phoneNumberId, static (id, prefix) => new Uri($"{prefix}{id}/messages"), _versionUrl);
        // HTTP/2 when the host offers it (ALPN): one TLS connection carries a whole batch. HTTP/1.1 otherwise.
        using var request = new HttpRequestMessage(HttpMethod.Post, messagesUri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = JsonContentType;

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            // Headers first: a success whose body is then cut off must be known as a success (not resent).
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendAttempt(SendOutcome.NoAnswer) { ErrorCode = "timeout", ErrorMessage = "no answer from WhatsApp in time", MayHaveBeenDelivered = true };
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable }
                || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            return new SendAttempt(SendOutcome.NoAnswer)
            {
                ErrorCode = refused ? "connection-failed" : "connection-lost",
                ErrorMessage = ex.HttpRequestError.ToString(),
                MayHaveBeenDelivered = !refused,
            };
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            byte[] payload;
            try
            {
                payload = await response.Content.ReadAsByteArrayAsync(attemptTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return new SendAttempt(SendOutcome.NoAnswer) { HttpStatus = status, ErrorCode = "connection-lost", ErrorMessage = "the answer was cut off", MayHaveBeenDelivered = true };
            }

            return Interpret(status, payload);
        }
    }

    /// <summary>Reads the Cloud API's answer (success or Meta's error shape).</summary>
    public static SendAttempt Interpret(int httpStatus, ReadOnlySpan<byte> payload)
    {
        GraphResponse? parsed = null;
        try
        {
            parsed = payload.IsEmpty ? null : JsonSerializer.Deserialize(payload, GraphJsonContext.Default.GraphResponse);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        var success = httpStatus is >= 200 and < 300;
        if (success && parsed?.Messages is [{ Id: { Length: > 0 } id }, ..])
        {
            return new SendAttempt(SendOutcome.Accepted) { HttpStatus = httpStatus, MessageId = id, MayHaveBeenDelivered = true };
        }

        if (parsed?.Error is { } error)
        {
            return new SendAttempt(SendOutcome.Rejected)
            {
                HttpStatus = httpStatus,
                ErrorCode = ReadCode(error.Code) ?? httpStatus.ToString(CultureInfo.InvariantCulture),
                // Meta may quote the recipient's number; the reason travels to logs and to Pinpoint.
                ErrorMessage = PhoneMask.MaskNumbersIn(Describe(error)),
            };
        }

        return success
            ? new SendAttempt(SendOutcome.NoAnswer) { HttpStatus = httpStatus, ErrorCode = "invalid-response", ErrorMessage = "WhatsApp answered success without a message id", MayHaveBeenDelivered = true }
            : new SendAttempt(SendOutcome.Rejected)
            {
                HttpStatus = httpStatus,
                ErrorCode = httpStatus.ToString(CultureInfo.InvariantCulture),
                ErrorMessage = $"HTTP {httpStatus} without a readable error",
                // A proxy's 502/504 can follow a message WhatsApp accepted: do not treat it as certainly unsent.
                MayHaveBeenDelivered = httpStatus >= 500,
            };
    }

    private static string? ReadCode(JsonElement code) => code.ValueKind switch
    {
        JsonValueKind.Number => code.GetRawText(),
        JsonValueKind.String => code.GetString(),
        _ => null,
    };

    private static string Describe(GraphError error)
    {
        var message = string.IsNullOrWhiteSpace(error.Message) ? "WhatsApp rejected the message" : error.Message.Trim();
        if (error.ErrorData.ValueKind == JsonValueKind.Object
            && error.ErrorData.TryGetProperty("details", out var details)
            && details.ValueKind == JsonValueKind.String
            && details.GetString() is { Length: > 0 } text
            && !message.Contains(text, StringComparison.Ordinal))
        {
            message += ": " + text;
        }

        return message;
    }

    public void Dispose() => _http.Dispose();
}
