using Amazon.Runtime;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.IntegrationTests.Secrets;

/// <summary>The function reads its token from a Secrets Manager stand-in that verifies SigV4 independently.</summary>
public sealed class SecretsManagerSigV4Tests : IAsyncLifetime
{
    private const string SecretArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:whatsapp/token-Qw3rTy";
    private const string Token = "EAAG-integration-token";

    private SecretsManagerStandIn _standIn = null!;

    public async Task InitializeAsync() =>
        _standIn = await SecretsManagerStandIn.StartAsync(new Dictionary<string, string>
        {
            [SecretArn] = $$"""{"FB_APP_TOKEN": "{{Token}}", "other": "ignored"}""",
        });

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private FunctionConfiguration Configuration(string secretArn = SecretArn) => new()
    {
        PhoneNumberId = "1234567890",
        SecretArn = secretArn,
        AwsRegion = SecretsManagerStandIn.Region,
        SecretsManagerEndpoint = _standIn.Endpoint,
    };

    [Fact]
    public async Task A_correctly_signed_request_gets_the_token()
    {
        var credentials = new SessionAWSCredentials(
            SecretsManagerStandIn.AccessKeyId, SecretsManagerStandIn.SecretAccessKey, SecretsManagerStandIn.SessionToken);
        var provider = AccessTokenCacheFactory.Create(Configuration(), TimeProvider.System, credentials, transport: null);

        Assert.Equal(Token, await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(["answered"], await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task A_wrong_secret_key_fails_the_signature_check()
    {
        var credentials = new SessionAWSCredentials(
            SecretsManagerStandIn.AccessKeyId, "not-the-secret-key", SecretsManagerStandIn.SessionToken);
        var provider = AccessTokenCacheFactory.Create(Configuration(), TimeProvider.System, credentials, transport: null);

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("rejected the function's credentials (InvalidSignatureException)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["rejected InvalidSignatureException"], await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task A_wrong_session_token_is_rejected()
    {
        var credentials = new SessionAWSCredentials(
            SecretsManagerStandIn.AccessKeyId, SecretsManagerStandIn.SecretAccessKey, "someone-elses-session");
        var provider = AccessTokenCacheFactory.Create(Configuration(), TimeProvider.System, credentials, transport: null);

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("UnrecognizedClientException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_secret_is_reported_as_not_found()
    {
        var credentials = new SessionAWSCredentials(
            SecretsManagerStandIn.AccessKeyId, SecretsManagerStandIn.SecretAccessKey, SecretsManagerStandIn.SessionToken);
        var configuration = Configuration("arn:aws:secretsmanager:eu-central-1:123456789012:secret:missing-AbCdEf");
        var provider = AccessTokenCacheFactory.Create(configuration, TimeProvider.System, credentials, transport: null);

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("was not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(["rejected ResourceNotFoundException"], await _standIn.OutcomesAsync());
    }
}
