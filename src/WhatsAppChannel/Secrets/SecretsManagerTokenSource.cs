using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Polly;

namespace WhatsAppChannel.Secrets;

/// <summary>
/// Reads the secret directly from Secrets Manager (<c>GetSecretValue</c>, JSON 1.1). The <see cref="HttpClient"/> must sign
/// with SigV4 for service <c>secretsmanager</c> (the composition root builds it); it never sees the Graph token.
/// </summary>
internal sealed class SecretsManagerTokenSource : IAccessTokenSource
{
    private const string Source = "Secrets Manager";
    private static readonly MediaTypeHeaderValue AmzJson = new("application/x-amz-json-1.1");

    private readonly HttpClient _signedHttpClient;
    private readonly Uri _endpoint;
    private readonly string _secretId;
    private readonly ResiliencePipeline _retry;
    private readonly string _key;

    public SecretsManagerTokenSource(HttpClient signedHttpClient, Uri endpoint, string secretId, TimeProvider timeProvider)
        : this(signedHttpClient, endpoint, secretId, SecretsRetry.Create(timeProvider, SecretsRetry.DefaultBaseDelay))
    {
    }

    internal SecretsManagerTokenSource(HttpClient signedHttpClient, Uri endpoint, string secretId, ResiliencePipeline retry, string key = SecretResponseReader.TokenKey)
    {
        ArgumentNullException.ThrowIfNull(signedHttpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        _signedHttpClient = signedHttpClient;
        _endpoint = endpoint;
        _secretId = secretId;
        _retry = retry;
        _key = key;
    }

    public Task<string> FetchTokenAsync(CancellationToken cancellationToken) =>
        SecretsRetry.ExecuteAsync(_retry, FetchOnceAsync, cancellationToken);

    private async Task<string> FetchOnceAsync(CancellationToken cancellationToken)
    {
        // A fresh message per attempt: the signing handler signs each send with the current time.
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        var body = JsonSerializer.SerializeToUtf8Bytes(new GetSecretValueRequest(_secretId), SecretsJsonContext.Default.GetSecretValueRequest);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = AmzJson;

        HttpResponseMessage response;
        try
        {
            response = await SecretsRetry.SendAsync(_signedHttpClient, request, Source, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // Raised by the signing handler when the default chain finds no credentials.
            throw new TokenUnavailableException(
                $"Could not sign the Secrets Manager request for secret '{_secretId}': no usable AWS credentials " +
                $"(the function's role, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): {SecretResponseReader.OneLine(e.Message)}", e);
        }

        using (response)
        {
            return await SecretResponseReader.ReadTokenAsync(response, _secretId, Source, _key, cancellationToken).ConfigureAwait(false);
        }
    }
}
