using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.EndUserMessaging;

/// <summary>
/// Sends through AWS End User Messaging Social (<c>SendWhatsAppMessage</c>, REST JSON): the Cloud API message body travels
/// base64-encoded, AWS forwards it to Meta with the linked account's credentials. The <see cref="HttpClient"/> must sign with
/// SigV4 for service <c>social-messaging</c> (the composition root builds it). One instance per process.
/// </summary>
internal sealed partial class SocialMessagingClient : IMessageTransport, IDisposable
{
    private const string ErrorTypeHeader = "x-amzn-ErrorType";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _signedHttpClient;
    private readonly Uri _sendUri;
    private readonly string _metaApiVersion;

    public SocialMessagingClient(HttpClient signedHttpClient, Uri endpoint, string metaApiVersion)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _signedHttpClient = signedHttpClient;
        _sendUri = new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/v1/whatsapp/send");
        _metaApiVersion = metaApiVersion;
    }

    /// <summary>End User Messaging Social has one send operation, which AWS passes to Meta's <c>/messages</c>.</summary>
    /// <exception cref="TokenUnavailableException">The default chain found no AWS credentials to sign with.</exception>
    public Task<SendAttempt> SendMarketingAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken) =>
        SendAsync(phoneNumberId, body, attemptToken);

    /// <summary>Sends one message and says what came of it; never throws for the transport or for cancellation.</summary>
    /// <exception cref="TokenUnavailableException">The default chain found no AWS credentials to sign with.</exception>
    public async Task<SendAttempt> SendAsync(string phoneNumberId, byte[] body, CancellationToken attemptToken)
    {
        // A fresh message per attempt: the signing handler signs each send with the current time.
        using var request = new HttpRequestMessage(HttpMethod.Post, _sendUri);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(
            new SendWhatsAppMessageRequest(phoneNumberId, _metaApiVersion, body),
            SocialMessagingJsonContext.Default.SendWhatsAppMessageRequest));
        request.Content.Headers.ContentType = JsonContentType;

        HttpResponseMessage response;
        try
        {
            // Headers first: a success whose body is then cut off must be known as a success (not resent).
            response = await _signedHttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // Raised by the signing handler before anything is sent.
            throw new TokenUnavailableException(
                "Could not sign the End User Messaging Social request: no usable AWS credentials " +
                $"(the function's role, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch (OperationCanceledException)
        {
            return SendAttempt.TimedOut("End User Messaging Social");
        }
        catch (HttpRequestException ex)
        {
            return SendAttempt.TransportFailed(ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var errorType = response.Headers.TryGetValues(ErrorTypeHeader, out var values) ? values.FirstOrDefault() : null;
            var buffer = ArrayPool<byte>.Shared.Rent(WhatsAppClient.MaxAnswerBytes);
            try
            {
                var (length, _, cutOff) = await WhatsAppClient.ReadPrefixAsync(response.Content, buffer, attemptToken).ConfigureAwait(false);
                var attempt = Interpret(status, errorType, buffer.AsSpan(0, length));
                return SendAttempt.UnlessCutOff(attempt, status, cutOff);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads the answer: <c>{"messageId"}</c>, or an AWS error whose type comes from the <c>x-amzn-ErrorType</c>
    /// header, else the body's <c>__type</c> or <c>code</c>.</summary>
    public static SendAttempt Interpret(int httpStatus, string? errorTypeHeader, ReadOnlySpan<byte> payload)
    {
        var success = httpStatus is >= 200 and < 300;
        if (success)
        {
            return Read(payload, SocialMessagingJsonContext.Default.SendWhatsAppMessageResponse)?.MessageId is { Length: > 0 } id
                ? new SendAttempt(SendOutcome.Accepted) { HttpStatus = httpStatus, MessageId = id, MayHaveBeenDelivered = true }
                : new SendAttempt(SendOutcome.NoAnswer)
                {
                    HttpStatus = httpStatus,
                    ErrorCode = "invalid-response",
                    ErrorMessage = "End User Messaging Social answered success without a message id",
                    MayHaveBeenDelivered = true,
                };
        }

        var error = Read(payload, SocialMessagingJsonContext.Default.SocialMessagingError);
        var type = ErrorTypeName(errorTypeHeader) ?? ErrorTypeName(error?.Type) ?? ErrorTypeName(error?.Code);
        if (type is null)
        {
            return new SendAttempt(SendOutcome.Rejected)
            {
                HttpStatus = httpStatus,
                ErrorCode = httpStatus.ToString(CultureInfo.InvariantCulture),
                ErrorMessage = $"HTTP {httpStatus} without an AWS error type",
                // A proxy's 502/504 can follow a message AWS accepted: do not treat it as certainly unsent.
                MayHaveBeenDelivered = httpStatus >= 500,
            };
        }

        var message = string.IsNullOrWhiteSpace(error?.Message) ? type : $"{type}: {error.Message.Trim()}";
        var metaCode = MetaCode().Match(message) is { Success: true } match ? match.Groups[1].Value : null;
        return new SendAttempt(SendOutcome.Rejected)
        {
            HttpStatus = httpStatus,
            ErrorCode = metaCode ?? type,
            // Meta's messages, passed through, may quote the recipient's number.
            ErrorMessage = PhoneMask.MaskNumbersIn(message),
            RejectionClass = SocialMessagingErrorClassifier.Classify(type),
            ThroughputExceeded = metaCode == WhatsAppClient.ThroughputExceededCode || SocialMessagingErrorClassifier.IsThrottling(type),
        };
    }

    // "ThrottledRequestException:http://internal.amazon.com/coral/..." or "com.amazonaws.socialmessaging#ValidationException".
    private static string? ErrorTypeName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var name = raw.Split(':')[0];
        name = name[(name.LastIndexOf('#') + 1)..].Trim();
        return name.Length > 0 ? name : null;
    }

    private static T? Read<T>(ReadOnlySpan<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return payload.IsEmpty ? null : JsonSerializer.Deserialize(payload, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Meta's code as Meta writes it at the start of its messages: "(#131026) Message Undeliverable".
    [GeneratedRegex(@"\(#(\d{1,9})\)", RegexOptions.CultureInvariant)]
    private static partial Regex MetaCode();

    public void Dispose() => _signedHttpClient.Dispose();
}
