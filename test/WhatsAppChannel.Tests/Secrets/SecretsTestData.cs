using Amazon.Runtime;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Tests.Secrets;

internal static class SecretsTestData
{
    public const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp/token-AbCdEf";
    public const string Token = "EAAG-test-token-do-not-leak";
    public const string SessionToken = "session-token-for-tests";

    public static readonly string SecretString = $$"""{"FB_APP_TOKEN": "{{Token}}"}""";

    public static SessionAWSCredentials Credentials { get; } = new("AKIDTESTEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken);

    public static FunctionConfiguration SecretsManagerConfiguration(LoopbackServer server) => new()
    {
        PhoneNumberId = "1234567890",
        SecretArn = SecretArn,
        AwsRegion = "eu-west-1",
        SecretsManagerEndpoint = server.Uri,
        AwsSessionToken = SessionToken,
    };

    /// <summary>Retries with a 1 ms base delay so throttling tests stay fast.</summary>
    public static IAccessTokenCache Create(FunctionConfiguration configuration, TimeProvider? timeProvider = null) =>
        AccessTokenCacheFactory.Create(configuration, timeProvider ?? TimeProvider.System, Credentials, transport: null, TimeSpan.FromMilliseconds(1));
}
