using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// <c>POST /v1/whatsapp/send</c> as AWS End User Messaging Social answers it: the SigV4 Authorization header must be present
/// and well-formed for service <c>social-messaging</c> (its signature is not recomputed: the sandbox knows no secret key),
/// the base64 message is decoded and then checked, accepted and faulted exactly like a Cloud API request.
/// </summary>
public sealed partial class SandboxServer
{
    private const string SocialMessagingSendPath = "/v1/whatsapp/send";

    private async Task HandleSocialMessagingSendAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        RecordInFlight(Interlocked.Increment(ref _inFlight));
        try
        {
            var faults = Volatile.Read(ref _faults);
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, context.RequestAborted).ConfigureAwait(false);
            }

            var error = CheckSignatureShape(context) ?? (InjectedServerError(faults) is { } injected ? SocialMessagingError.From(injected) : null);
            if (error is not null)
            {
                await WriteSocialMessagingErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            SocialMessagingSendRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, SandboxJsonContext.Default.SocialMessagingSendRequest, context.RequestAborted)
                    .ConfigureAwait(false);
            }
            catch (JsonException)
            {
                request = null;
            }

            var (body, invalid) = Decode(request);
            if (invalid is not null)
            {
                await WriteSocialMessagingErrorAsync(context, invalid).ConfigureAwait(false);
                return;
            }

            using var document = ParseOrNull(body!);
            if (document is null)
            {
                await WriteSocialMessagingErrorAsync(context, SocialMessagingError.From(GraphError.InvalidParameter("The message is not valid JSON"))).ConfigureAwait(false);
                return;
            }

            if (!_validator.TryValidate(document.RootElement, out var message, out var invalidForMeta))
            {
                await WriteSocialMessagingErrorAsync(context, SocialMessagingError.From(invalidForMeta)).ConfigureAwait(false);
                return;
            }

            if (!_log.TryAccept(message, faults, NewMessageId(), out var accepted, out var refusedByMeta))
            {
                await WriteSocialMessagingErrorAsync(context, SocialMessagingError.From(refusedByMeta)).ConfigureAwait(false);
                return;
            }

            _options.OnAccepted?.Invoke(accepted);
            await WriteJsonAsync(context, StatusCodes.Status200OK, new SocialMessagingSendResponse(accepted.Id), SandboxJsonContext.Default.SocialMessagingSendResponse)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller gave up (e.g. its timeout); nothing left to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static SocialMessagingError? CheckSignatureShape(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return SocialMessagingError.MissingAuthentication();
        }

        if (SigV4Authorization().Match(authorization) is not { Success: true } match)
        {
            return SocialMessagingError.IncompleteSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' (AWS4-HMAC-SHA256).");
        }

        if (match.Groups["service"].Value != "social-messaging")
        {
            return new SocialMessagingError(403, "InvalidSignatureException", "Credential should be scoped to correct service: 'social-messaging'.");
        }

        return context.Request.Headers["X-Amz-Date"].ToString().StartsWith(match.Groups["date"].Value, StringComparison.Ordinal)
            ? null
            : SocialMessagingError.IncompleteSignature("X-Amz-Date is missing or does not match the credential scope.");
    }

    private (byte[]? Body, SocialMessagingError? Error) Decode(SocialMessagingSendRequest? request)
    {
        if (request is not { OriginationPhoneNumberId: { } id, MetaApiVersion: { } version, Message: { Length: > 0 } blob })
        {
            return (null, SocialMessagingError.Validation("originationPhoneNumberId, metaApiVersion and message are required."));
        }

        if (!MetaApiVersion().IsMatch(version))
        {
            return (null, SocialMessagingError.Validation("metaApiVersion must be formatted as v{VersionNumber}."));
        }

        if (id != _options.OriginationPhoneNumberId)
        {
            return (null, SocialMessagingError.UnknownPhoneNumber(id));
        }

        var bytes = new byte[blob.Length];
        return Convert.TryFromBase64String(blob, bytes, out var length)
            ? (bytes.AsSpan(0, length).ToArray(), null)
            : (null, SocialMessagingError.Validation("message must be base64-encoded."));
    }

    private static JsonDocument? ParseOrNull(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteSocialMessagingErrorAsync(HttpContext context, SocialMessagingError error)
    {
        context.Response.Headers["x-amzn-ErrorType"] = error.Type;
        return WriteJsonAsync(context, error.HttpStatus, new SocialMessagingErrorBody(error.Message), SandboxJsonContext.Default.SocialMessagingErrorBody);
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=[^/\s,]+/(?<date>\d{8})/[a-z0-9-]+/(?<service>[a-z0-9-]+)/aws4_request,\s*SignedHeaders=[a-z0-9;-]+,\s*Signature=[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SigV4Authorization();

    [GeneratedRegex(@"^v\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex MetaApiVersion();
}
