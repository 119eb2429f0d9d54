using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Hosting;

/// <summary>Builds the access-token provider the configuration asks for.</summary>
internal static class AccessTokenCacheFactory
{
    private const string SigningService = "secretsmanager";

    /// <summary>
    /// <c>FB_SECRET_ARN</c> wins over <c>FB_APP_TOKEN</c>; the secret is read through the Lambda extension when its port is
    /// set, else from Secrets Manager with the default AWS credential chain. AWS calls use their own HttpClient.
    /// </summary>
    /// <exception cref="ConfigurationException">The secret cannot be located (no region, no session token for the extension).</exception>
    public static IAccessTokenCache Create(FunctionConfiguration configuration, TimeProvider timeProvider) =>
        Create(configuration, timeProvider, awsCredentials: null, transport: null);

    /// <param name="awsCredentials">Signs Secrets Manager calls; null = the default chain.</param>
    /// <param name="transport">Sends the AWS requests (tests); null = a pooled <see cref="SocketsHttpHandler"/>.</param>
    public static IAccessTokenCache Create(
        FunctionConfiguration configuration, TimeProvider timeProvider, AWSCredentials? awsCredentials, HttpMessageHandler? transport) =>
        Create(configuration, timeProvider, awsCredentials, transport, SecretsRetry.DefaultBaseDelay);

    internal static IAccessTokenCache Create(
        FunctionConfiguration configuration,
        TimeProvider timeProvider,
        AWSCredentials? awsCredentials,
        HttpMessageHandler? transport,
        TimeSpan retryBaseDelay)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new AccessTokenCache(
            CreateSource(configuration, timeProvider, awsCredentials, transport, retryBaseDelay, SecretResponseReader.TokenKey, configuration.AppToken)
                ?? throw new ConfigurationException("FB_SECRET_ARN is not set (nor FB_APP_TOKEN): the function has no access token."),
            configuration.TokenCacheLifetime,
            timeProvider);
    }

    /// <summary>The Meta app secret the webhook checks signatures with: key <c>FB_APP_SECRET</c> of the same secret
    /// (<c>FB_SECRET_ARN</c>), else the environment's <c>FB_APP_SECRET</c>; null when neither is configured.
    /// Cached like the token, so a rotated app secret is picked up within <c>TOKEN_CACHE_SECONDS</c>.</summary>
    /// <exception cref="ConfigurationException">The secret cannot be located (no region, no session token for the extension).</exception>
    internal static IAccessTokenCache? CreateAppSecret(
        FunctionConfiguration configuration, TimeProvider timeProvider, AWSCredentials? awsCredentials, HttpMessageHandler? transport)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var source = CreateSource(
            configuration, timeProvider, awsCredentials, transport, SecretsRetry.DefaultBaseDelay, SecretResponseReader.AppSecretKey, configuration.AppSecret);
        return source is null ? null : new AccessTokenCache(source, configuration.TokenCacheLifetime, timeProvider);
    }

    /// <summary>Reads <paramref name="key"/> of the secret when <c>FB_SECRET_ARN</c> is set, else returns <paramref name="plainValue"/>
    /// as given (null when it is absent too).</summary>
    private static IAccessTokenSource? CreateSource(
        FunctionConfiguration configuration,
        TimeProvider timeProvider,
        AWSCredentials? awsCredentials,
        HttpMessageHandler? transport,
        TimeSpan retryBaseDelay,
        string key,
        string? plainValue)
    {
        var secretId = configuration.SecretArn;
        if (secretId is null)
        {
            return plainValue is null ? null : new StaticAccessTokenSource(plainValue);
        }

        var retry = SecretsRetry.Create(timeProvider, retryBaseDelay);
        if (configuration.SecretsExtensionPort is { } port)
        {
            var sessionToken = configuration.AwsSessionToken
                ?? throw new ConfigurationException(
                    "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT is set but AWS_SESSION_TOKEN is not: the extension authenticates callers with it.");
            return new SecretsExtensionTokenSource(new HttpClient(transport ?? CreateTransport(), disposeHandler: transport is null), port, secretId, sessionToken, retry, key);
        }

        var region = configuration.AwsRegion ?? RegionOfArn(secretId)
            ?? throw new ConfigurationException(
                $"AWS_REGION is not set and FB_SECRET_ARN '{secretId}' is not an ARN naming one: Secrets Manager needs the secret's region.");
        var endpoint = configuration.SecretsManagerEndpoint ?? DefaultEndpoint(region);
        var signer = new SigV4SigningHandler(
            awsCredentials ?? new DefaultChainCredentials(), RegionEndpoint.GetBySystemName(region), SigningService, transport ?? CreateTransport());
        return new SecretsManagerTokenSource(new HttpClient(signer), endpoint, secretId, retry, key);
    }

    // arn:partition:secretsmanager:region:account:secret:name
    private static string? RegionOfArn(string secretId)
    {
        var parts = secretId.Split(':');
        return parts.Length >= 7 && parts[0] == "arn" && parts[2] == SigningService && parts[3].Length > 0 ? parts[3] : null;
    }

    private static Uri DefaultEndpoint(string region) => new(region.StartsWith("cn-", StringComparison.Ordinal)
        ? $"https://secretsmanager.{region}.amazonaws.com.cn/"
        : $"https://secretsmanager.{region}.amazonaws.com/");

    // Redirects are never followed: a redirected hop would carry a stale signature (SigV4SigningHandler's remarks).
    private static SocketsHttpHandler CreateTransport() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
