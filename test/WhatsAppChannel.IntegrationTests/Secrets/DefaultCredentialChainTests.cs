using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.IntegrationTests.Secrets;

/// <summary>Tests that change the process environment run alone, so no other test sees these variables.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    public const string Name = "Process environment";
}

/// <summary>
/// The production path: <see cref="AccessTokenCacheFactory.Create(FunctionConfiguration, TimeProvider)"/> with credentials
/// found by AWSSDK.Core's default chain in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, as on Lambda.
/// </summary>
[Collection(ProcessEnvironmentGroup.Name)]
public sealed class DefaultCredentialChainTests
{
    private const string SecretArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:whatsapp/token-Zx9Yw8";

    [Fact]
    public async Task Credentials_from_the_environment_sign_a_request_the_stand_in_accepts()
    {
        await using var standIn = await SecretsManagerStandIn.StartAsync(new Dictionary<string, string>
        {
            [SecretArn] = """{"FB_APP_TOKEN": "EAAG-from-env-chain"}""",
        });
        var environment = new Dictionary<string, string?>
        {
            ["FB_BUSINESS_PHONE_ID"] = "1234567890",
            ["FB_SECRET_ARN"] = SecretArn,
            ["AWS_REGION"] = SecretsManagerStandIn.Region,
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = standIn.Endpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = SecretsManagerStandIn.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = SecretsManagerStandIn.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = SecretsManagerStandIn.SessionToken,
            ["AWS_PROFILE"] = null,
        };

        var saved = environment.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in environment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var provider = AccessTokenCacheFactory.Create(FunctionConfiguration.FromEnvironment(), TimeProvider.System);

            Assert.Equal("EAAG-from-env-chain", await provider.GetTokenAsync(CancellationToken.None));
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        Assert.Equal(["answered"], await standIn.OutcomesAsync());
    }
}
