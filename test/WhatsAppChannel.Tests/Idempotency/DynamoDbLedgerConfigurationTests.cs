using Amazon.DynamoDBv2;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Tests.Idempotency;

public sealed class DynamoDbLedgerConfigurationTests
{
    private static FunctionConfiguration WithTable(string table, string? region = "eu-west-1", Uri? endpoint = null) =>
        new() { PhoneNumberId = "1", IdempotencyTable = table, AwsRegion = region, DynamoDbEndpoint = endpoint };

    [Fact]
    public void Factory_gives_the_DynamoDB_ledger_when_a_table_is_set()
    {
        var ledger = IdempotencyLedgerFactory.Create(WithTable("whatsapp-channel-idempotency"), TimeProvider.System);

        using var dynamo = Assert.IsType<DynamoDbLedger>(ledger);
        Assert.Equal("eu-west-1", dynamo.Client.Config.RegionEndpoint?.SystemName);
    }

    [Fact]
    public void Factory_points_the_client_at_the_endpoint_override()
    {
        var configuration = WithTable("ledger", region: null, endpoint: new Uri("http://127.0.0.1:8000"));

        using var dynamo = Assert.IsType<DynamoDbLedger>(IdempotencyLedgerFactory.Create(configuration, TimeProvider.System));

        Assert.StartsWith("http://127.0.0.1:8000", dynamo.Client.Config.ServiceURL, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("bad name")]
    [InlineData("arn:aws:dynamodb:eu-west-1:123:table/x")]
    public void Factory_rejects_a_malformed_table_name_naming_the_variable(string table)
    {
        var error = Assert.Throws<ConfigurationException>(() => IdempotencyLedgerFactory.Create(WithTable(table), TimeProvider.System));

        Assert.Contains("IDEMPOTENCY_TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_needs_a_region_or_an_endpoint()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => IdempotencyLedgerFactory.Create(WithTable("ledger", region: null), TimeProvider.System));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_uses_the_endpoint_override_with_few_retries_and_short_timeouts()
    {
        using var client = DynamoDbLedger.CreateClient(new Uri("http://127.0.0.1:4567"), region: null);

        var config = (AmazonDynamoDBConfig)client.Config;
        Assert.StartsWith("http://127.0.0.1:4567", config.ServiceURL, StringComparison.Ordinal);
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.True(config.MaxErrorRetry <= 2);
        Assert.True(config.Timeout <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Client_uses_the_region_without_an_endpoint()
    {
        using var client = DynamoDbLedger.CreateClient(endpoint: null, region: "eu-central-1");

        Assert.Equal("eu-central-1", client.Config.RegionEndpoint?.SystemName);
    }

    [Fact]
    public void Table_definition_is_on_demand_with_a_string_partition_key_id()
    {
        var request = DynamoDbLedger.CreateTableRequest("ledger");

        Assert.Equal("ledger", request.TableName);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, request.BillingMode);
        var key = Assert.Single(request.KeySchema);
        Assert.Equal(("id", KeyType.HASH), (key.AttributeName, key.KeyType));
        var attribute = Assert.Single(request.AttributeDefinitions);
        Assert.Equal(("id", ScalarAttributeType.S), (attribute.AttributeName, attribute.AttributeType));
    }

    [Fact]
    public void Time_to_live_is_enabled_on_expiresAt()
    {
        var request = DynamoDbLedger.EnableTimeToLiveRequest("ledger");

        Assert.Equal("ledger", request.TableName);
        Assert.Equal("expiresAt", request.TimeToLiveSpecification.AttributeName);
        Assert.True(request.TimeToLiveSpecification.Enabled);
    }
}
