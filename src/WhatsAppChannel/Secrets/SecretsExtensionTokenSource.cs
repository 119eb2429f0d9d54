using Polly;

namespace WhatsAppChannel.Secrets;

/// <summary>
/// Reads the secret through the AWS Parameters and Secrets Lambda Extension on
/// <c>localhost:{PARAMETERS_SECRETS_EXTENSION_HTTP_PORT}</c>, authenticated by the function's session token.
/// </summary>
internal sealed class SecretsExtensionTokenSource : IAccessTokenSource
{
    private const string Source = "the Parameters and Secrets Lambda Extension";

    private readonly HttpClient _httpClient;
    private readonly Uri _requestUri;
    private readonly string _secretId;
    private readonly string _sessionToken;
    private readonly ResiliencePipeline _retry;
    private readonly string _key;

    public SecretsExtensionTokenSource(HttpClient httpClient, int port, string secretId, string sessionToken, TimeProvider timeProvider)
        : this(httpClient, port, secretId, sessionToken, SecretsRetry.Create(timeProvider, SecretsRetry.DefaultBaseDelay))
    {
    }

    internal SecretsExtensionTokenSource(HttpClient httpClient, int port, string secretId, string sessionToken, ResiliencePipeline retry, string key = SecretResponseReader.TokenKey)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionToken);
        _httpClient = httpClient;
        _requestUri = new Uri($"http://localhost:{port}/secretsmanager/get?secretId={Uri.EscapeDataString(secretId)}");
        _secretId = secretId;
        _sessionToken = sessionToken;
        _retry = retry;
        _key = key;
    }

    public Task<string> FetchTokenAsync(CancellationToken cancellationToken) =>
        SecretsRetry.ExecuteAsync(_retry, FetchOnceAsync, cancellationToken);

    private async Task<string> FetchOnceAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _requestUri);
        request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", _sessionToken);
        using var response = await SecretsRetry.SendAsync(_httpClient, request, Source, cancellationToken).ConfigureAwait(false);
        return await SecretResponseReader.ReadTokenAsync(response, _secretId, Source, _key, cancellationToken).ConfigureAwait(false);
    }
}
