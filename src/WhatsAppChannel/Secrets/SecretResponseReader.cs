using System.Net;
using System.Text.Json;

namespace WhatsAppChannel.Secrets;

/// <summary>Turns a <c>GetSecretValue</c> answer (direct or through the extension) into the token or one clear error.</summary>
internal static class SecretResponseReader
{
    /// <summary>The secret's key holding the Graph access token.</summary>
    public const string TokenKey = "FB_APP_TOKEN";

    /// <summary>The secret's key holding the Meta app secret the webhook verifies signatures with.</summary>
    public const string AppSecretKey = "FB_APP_SECRET";
    private const int MaxDetailLength = 600;

    public static async Task<string> ReadTokenAsync(
        HttpResponseMessage response, string secretId, string source, string key, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw DescribeFailure(response, body, secretId, source);
        }

        GetSecretValueResponse? value;
        try
        {
            value = JsonSerializer.Deserialize(body, SecretsJsonContext.Default.GetSecretValueResponse);
        }
        catch (JsonException)
        {
            // No inner exception: its message may quote the body, which holds the secret.
            throw new TokenUnavailableException(
                $"{source} returned an unreadable GetSecretValue response (HTTP {(int)response.StatusCode}) for secret '{secretId}'.");
        }

        return ReadToken(value?.SecretString, value?.SecretBinary is not null, secretId, key);
    }

    public static string ReadToken(string? secretString, bool hasBinary, string secretId, string key = TokenKey)
    {
        var expectedShape = $"expected SecretString JSON {{\"{key}\": \"<value>\"}}";
        if (secretString is null)
        {
            throw new TokenUnavailableException(hasBinary
                ? $"Secret '{secretId}' holds SecretBinary: {expectedShape}."
                : $"Secret '{secretId}' has no SecretString: {expectedShape}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(secretString);
        }
        catch (JsonException)
        {
            throw new TokenUnavailableException($"Secret '{secretId}' is not JSON: {expectedShape}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TokenUnavailableException($"Secret '{secretId}' is not a JSON object: {expectedShape}.");
            }

            if (!document.RootElement.TryGetProperty(key, out var token))
            {
                throw new TokenUnavailableException($"Secret '{secretId}' has no {key} key: {expectedShape}.");
            }

            var text = token.ValueKind == JsonValueKind.String ? token.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(text))
            {
                throw new TokenUnavailableException($"Secret '{secretId}' has an empty or non-string {key}: {expectedShape}.");
            }

            return AccessTokenText.IsWellFormed(text)
                ? text
                : throw new TokenUnavailableException($"Secret '{secretId}' (FB_SECRET_ARN): its {key} {AccessTokenText.Problem}.");
        }
    }

    private static TokenUnavailableException DescribeFailure(HttpResponseMessage response, byte[] body, string secretId, string source)
    {
        var status = (int)response.StatusCode;
        var (type, awsMessage) = ReadError(response, body);
        var detail = awsMessage is null ? "" : $": {awsMessage.TrimEnd('.')}";
        var transient = false;
        var message = type switch
        {
            "ResourceNotFoundException" =>
                $"Secret '{secretId}' (FB_SECRET_ARN) was not found by {source}: check the ARN and that AWS_REGION is the secret's region{detail}.",
            "AccessDeniedException" =>
                $"Access denied reading secret '{secretId}' through {source}: the function's role needs secretsmanager:GetSecretValue on it (and kms:Decrypt on a customer managed key){detail}.",
            "DecryptionFailure" =>
                $"Secret '{secretId}' could not be decrypted with its KMS key (DecryptionFailure): the function's role needs kms:Decrypt on that key{detail}.",
            "InvalidRequestException" =>
                $"Secrets Manager refused to return secret '{secretId}' (InvalidRequestException; e.g. it is scheduled for deletion){detail}.",
            "InvalidParameterException" =>
                $"Secrets Manager rejected the request for secret '{secretId}' (InvalidParameterException): check FB_SECRET_ARN{detail}.",
            "UnrecognizedClientException" or "InvalidSignatureException" or "IncompleteSignature" or "SignatureDoesNotMatch"
                or "InvalidClientTokenId" or "ExpiredTokenException" or "MissingAuthenticationToken" =>
                // No AWS text here: signature errors echo the canonical request, session token included.
                $"AWS rejected the function's credentials ({type}) reading secret '{secretId}': check the role or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN.",
            "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" =>
                Transient($"{source} throttled GetSecretValue for secret '{secretId}' ({type}){detail}."),
            _ when status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests =>
                Transient($"{source} failed with HTTP {status}{(type is null ? "" : $" ({type})")} reading secret '{secretId}'{detail}."),
            // The extension answers 400 "not ready to serve traffic" while it starts.
            null when status == 400 && awsMessage is not null && awsMessage.Contains("not ready", StringComparison.OrdinalIgnoreCase) =>
                Transient($"{source} is not ready yet reading secret '{secretId}'{detail}."),
            _ => $"{source} answered HTTP {status}{(type is null ? "" : $" ({type})")} reading secret '{secretId}'.",
        };
        return new TokenUnavailableException(string.Concat(message[..1].ToUpperInvariant(), message.AsSpan(1))) { IsTransient = transient };

        string Transient(string text)
        {
            transient = true;
            return text;
        }
    }

    /// <summary>The error type from <c>__type</c> or <c>x-amzn-ErrorType</c> (namespace and suffix stripped) and the message.</summary>
    private static (string? Type, string? Message) ReadError(HttpResponseMessage response, byte[] body)
    {
        string? type = null;
        string? message = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, SecretsJsonContext.Default.AwsErrorResponse);
            type = error?.Type;
            message = error?.Message;
        }
        catch (JsonException)
        {
            // Not AWS JSON (the extension writes plain text): an error body carries no secret, so show it trimmed.
            var text = System.Text.Encoding.UTF8.GetString(body).Trim();
            message = text.Length == 0 ? null : text;
        }

        if (type is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            type = values.FirstOrDefault();
        }

        return (NormalizeType(type), message is null ? null : OneLine(message));
    }

    // "com.amazonaws.secretsmanager#ResourceNotFoundException" and "ResourceNotFoundException:http://..." both name ResourceNotFoundException.
    private static string? NormalizeType(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var start = type.LastIndexOf('#') + 1;
        var end = type.IndexOf(':', start);
        return (end < 0 ? type[start..] : type[start..end]).Trim();
    }

    /// <summary>Collapses <paramref name="text"/> to one line of bounded length, for error messages.</summary>
    internal static string OneLine(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxDetailLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaxDetailLength), "...");
    }
}
