using WhatsAppChannel.Hosting;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Hosting;

/// <summary>Picks the ledger the configuration asks for.</summary>
internal static class IdempotencyLedgerFactory
{
    /// <summary>In memory when <c>IDEMPOTENCY_TABLE</c> is unset, else DynamoDB. The DynamoDB ledger owns
    /// its client: dispose the result when it is <see cref="IDisposable"/>.</summary>
    /// <exception cref="ConfigurationException">The table name is malformed or no region is known.</exception>
    public static IIdempotencyLedger Create(FunctionConfiguration configuration, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var table = configuration.IdempotencyTable;
        if (table is null)
        {
            return new InMemoryLedger(configuration.IdempotencyClaimLifetime, configuration.IdempotencyRecordLifetime, timeProvider);
        }

        if (!IsValidTableName(table))
        {
            throw new ConfigurationException(
                $"IDEMPOTENCY_TABLE '{table}' is not a DynamoDB table name (3-255 characters: letters, digits, '_', '-', '.').");
        }

        if (configuration.AwsRegion is null && configuration.DynamoDbEndpoint is null)
        {
            throw new ConfigurationException("AWS_REGION is not set: the DynamoDB idempotency ledger (IDEMPOTENCY_TABLE) needs a region.");
        }

        var client = DynamoDbLedger.CreateClient(configuration.DynamoDbEndpoint, configuration.AwsRegion);
        return new DynamoDbLedger(
            client,
            table,
            configuration.IdempotencyClaimLifetime,
            configuration.IdempotencyRecordLifetime,
            timeProvider,
            ownsClient: true);
    }

    /// <summary>The same ledger, for what the webhook records (delivery statuses, opt-outs): both ledgers keep them.</summary>
    /// <exception cref="ConfigurationException">The table name is malformed or no region is known.</exception>
    public static IDeliveryStatusLedger CreateStatusLedger(FunctionConfiguration configuration, TimeProvider timeProvider) =>
        (IDeliveryStatusLedger)Create(configuration, timeProvider);

    private static bool IsValidTableName(string name) =>
        name.Length is >= 3 and <= 255 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
