using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using WhatsAppChannel.CampaignData;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Hosting;

/// <summary>Builds where Amazon Connect campaigns' Data is read: Parameter Store under <c>CONNECT_DATA_PARAMETER_PREFIX</c>,
/// signed with the default AWS credential chain, cached for <c>CONNECT_DATA_CACHE_SECONDS</c>.</summary>
internal static class CampaignDataSourceFactory
{
    private const string SigningService = "ssm";

    /// <returns>Null when no prefix is configured: Connect events then fail every profile with that reason.</returns>
    /// <exception cref="ConfigurationException">The prefix is set but no region is known to sign for.</exception>
    public static ICampaignDataSource? Create(FunctionConfiguration configuration, TimeProvider timeProvider) =>
        Create(configuration, timeProvider, awsCredentials: null, transport: null);

    /// <param name="awsCredentials">Signs the calls; null = the default chain.</param>
    /// <param name="transport">Sends the requests (tests); null = a pooled handler that follows no redirects.</param>
    public static ICampaignDataSource? Create(
        FunctionConfiguration configuration, TimeProvider timeProvider, AWSCredentials? awsCredentials, HttpMessageHandler? transport)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (configuration.ConnectDataParameterPrefix is not { } prefix)
        {
            return null;
        }

        var region = configuration.AwsRegion
            ?? throw new ConfigurationException("AWS_REGION is not set: CONNECT_DATA_PARAMETER_PREFIX needs the region of its parameters.");
        var endpoint = configuration.SsmEndpoint ?? new Uri(region.StartsWith("cn-", StringComparison.Ordinal)
            ? $"https://ssm.{region}.amazonaws.com.cn/"
            : $"https://ssm.{region}.amazonaws.com/");
        var signer = new SigV4SigningHandler(
            awsCredentials ?? new DefaultChainCredentials(),
            RegionEndpoint.GetBySystemName(region),
            SigningService,
            transport ?? AccessTokenCacheFactory.CreateTransport());
        return new CampaignDataCache(
            new ParameterStoreDataSource(new HttpClient(signer), endpoint, prefix), configuration.ConnectDataCacheLifetime, timeProvider);
    }
}
