using WhatsAppChannel.Errors;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Throughput;

namespace WhatsAppChannel.Hosting;

/// <summary>Picks where a number's throughput is counted: the idempotency table when there is one (every instance
/// shares the limit), else this process.</summary>
internal static class ThroughputStoreFactory
{
    /// <exception cref="ConfigurationException">A table is set but no region or endpoint is known.</exception>
    public static IThroughputStore Create(FunctionConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.IdempotencyTable is not { } table)
        {
            return new InProcessThroughputStore(configuration.ThroughputPerSecond);
        }

        if (configuration.AwsRegion is null && configuration.DynamoDbEndpoint is null)
        {
            throw new ConfigurationException("AWS_REGION is not set: the shared throughput budget (IDEMPOTENCY_TABLE) needs a region.");
        }

        var client = DynamoDbLedger.CreateClient(configuration.DynamoDbEndpoint, configuration.AwsRegion);
        return new DynamoDbThroughputStore(client, table, configuration.ThroughputPerSecond, ownsClient: true);
    }
}
