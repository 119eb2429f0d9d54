using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger shared by all instances: one DynamoDB item per key (partition key <c>id</c>,
/// TTL attribute <c>expiresAt</c>). Claims are conditional writes, so two runs never both win a key.
/// The function never creates the table; <see cref="CreateTableRequest"/> documents it.</summary>
/// <remarks>Three kinds of items share the table, told apart by their id:
/// a send record (<c>id</c> = the idempotency key: status, messageId, campaignId),
/// a message item (<c>id</c> = <c>message#</c> + Meta's message id: sendKey, campaignId, recipientHash,
/// deliveryState, stateRank, errorCode), written when a send completes and updated by status webhooks,
/// and an opt-out (<c>id</c> = <c>optout#</c> + <see cref="NumberHash"/>: optedOutAt; no TTL).</remarks>
internal sealed partial class DynamoDbLedger : IIdempotencyLedger, IDeliveryStatusLedger, IDisposable
{
    private const string Id = "id";
    private const string Status = "status";
    private const string ClaimToken = "claimToken";
    private const string ClaimExpiresAt = "claimExpiresAt";
    private const string ExpiresAt = "expiresAt";
    private const string MessageId = "messageId";
    private const string StatusClaimed = "claimed";
    private const string StatusCompleted = "completed";
    private const string CampaignId = "campaignId";
    private const string SendKey = "sendKey";
    private const string RecipientHash = "recipientHash";
    private const string DeliveryStateName = "deliveryState";
    private const string StateRank = "stateRank";
    private const string ErrorCode = "errorCode";
    private const string OptedOutAt = "optedOutAt";
    private const string MessagePrefix = "message#";
    private const string OptOutPrefix = "optout#";

    // BatchGetItem reads at most 100 keys per call.
    private const int MaxBatchGetKeys = 100;

    // Another run may release or take over the key between our write and our read; after this
    // many rounds the key is reported in progress rather than looping.
    private const int MaxClaimRounds = 3;

    private static readonly Dictionary<string, string> AttributeNames = new(StringComparer.Ordinal)
    {
        ["#id"] = Id,
        ["#status"] = Status,
        ["#claimToken"] = ClaimToken,
        ["#claimExpiresAt"] = ClaimExpiresAt,
        ["#expiresAt"] = ExpiresAt,
        ["#messageId"] = MessageId,
        ["#campaignId"] = CampaignId,
        ["#sendKey"] = SendKey,
        ["#recipientHash"] = RecipientHash,
        ["#deliveryState"] = DeliveryStateName,
        ["#stateRank"] = StateRank,
        ["#errorCode"] = ErrorCode,
    };

    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly string _tableName;
    private readonly TimeSpan _claimLifetime;
    private readonly TimeSpan _recordLifetime;
    private readonly TimeProvider _timeProvider;

    // Claims this instance holds, with the token written into the item, so a release removes
    // only our own claim and never one another run took over.
    private readonly ConcurrentDictionary<string, string> _heldClaims = new(StringComparer.Ordinal);

    /// <param name="ownsClient">Dispose <paramref name="client"/> with the ledger.</param>
    public DynamoDbLedger(
        IAmazonDynamoDB client,
        string tableName,
        TimeSpan claimLifetime,
        TimeSpan recordLifetime,
        TimeProvider timeProvider,
        bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(recordLifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        _ownsClient = ownsClient;
        _tableName = tableName;
        _claimLifetime = claimLifetime;
        _recordLifetime = recordLifetime;
        _timeProvider = timeProvider;
    }

    /// <summary>The client in use; tests check the factory's wiring through it.</summary>
    internal IAmazonDynamoDB Client => _client;

    /// <summary>A low-level client for the ledger: <paramref name="endpoint"/> overrides the service URL
    /// (DynamoDB Local, dynalite); credentials come from the default chain unless given. Retries are few
    /// and timeouts short, because every call spends the Lambda deadline.</summary>
    public static AmazonDynamoDBClient CreateClient(Uri? endpoint, string? region, AWSCredentials? credentials = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            // The function's own configuration (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL) is the only source.
            IgnoreConfiguredEndpointUrls = true,
        };

        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            throw new ArgumentException("A region or an endpoint is required.", nameof(region));
        }

        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    /// <summary>The table the ledger expects (for the README, the local CLI and tests): on-demand
    /// capacity, partition key <c>id</c> (string). Enable TTL with <see cref="EnableTimeToLiveRequest"/>.</summary>
    public static CreateTableRequest CreateTableRequest(string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        return new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition(Id, ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement(Id, KeyType.HASH)],
        };
    }

    /// <summary>Turns on TTL on <c>expiresAt</c> (epoch seconds), so DynamoDB deletes old records.</summary>
    public static UpdateTimeToLiveRequest EnableTimeToLiveRequest(string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        return new UpdateTimeToLiveRequest
        {
            TableName = tableName,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
        };
    }

    public async Task<LedgerClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);

        for (var round = 0; round < MaxClaimRounds; round++)
        {
            var now = _timeProvider.GetUtcNow();
            var token = Guid.NewGuid().ToString("N");
            if (await TryPutClaimAsync(key, token, now, cancellationToken).ConfigureAwait(false))
            {
                _heldClaims[key] = token;
                return LedgerClaim.Claimed;
            }

            var item = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (item is null || IsAtOrBefore(item, ExpiresAt, now.ToUnixTimeSeconds()))
            {
                continue; // released, or past its TTL but not yet deleted: claim again
            }

            if (Text(item, Status) == StatusClaimed && Text(item, ClaimToken) == token)
            {
                // Our write landed but its answer was lost; the SDK's retry then failed its condition on our own item.
                _heldClaims[key] = token;
                return LedgerClaim.Claimed;
            }

            if (Text(item, Status) == StatusCompleted)
            {
                return new LedgerClaim(LedgerClaimStatus.AlreadySent, Text(item, MessageId));
            }

            if (!IsAtOrBefore(item, ClaimExpiresAt, now.ToUnixTimeMilliseconds()))
            {
                return new LedgerClaim(LedgerClaimStatus.InProgress);
            }
        }

        return new LedgerClaim(LedgerClaimStatus.InProgress);
    }

    public async Task CompleteAsync(string key, LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(outcome);
        var now = _timeProvider.GetUtcNow();

        // Unconditional: the message went out, so the key is done even if our claim was taken over meanwhile.
        var request = new UpdateItemRequest
        {
            TableName = _tableName,
            Key = KeyOf(key),
            UpdateExpression = "SET #status = :completed, #messageId = :messageId, #expiresAt = :expiresAt REMOVE #claimToken, #claimExpiresAt",
            ExpressionAttributeNames = Names("#status", "#messageId", "#expiresAt", "#claimToken", "#claimExpiresAt"),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":completed"] = new() { S = StatusCompleted },
                [":messageId"] = new() { S = outcome.MessageId },
                [":expiresAt"] = Number((now + _recordLifetime).ToUnixTimeSeconds()),
            },
        };

        if (outcome.CampaignId is not null)
        {
            request.UpdateExpression = request.UpdateExpression.Replace(" REMOVE", ", #campaignId = :campaignId REMOVE", StringComparison.Ordinal);
            request.ExpressionAttributeNames["#campaignId"] = CampaignId;
            request.ExpressionAttributeValues[":campaignId"] = new() { S = outcome.CampaignId };
        }

        await CallAsync("UpdateItem", () => _client.UpdateItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        _heldClaims.TryRemove(key, out _);
        await WriteMessageItemAsync(key, outcome, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RecordStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var now = _timeProvider.GetUtcNow();
        var set = new List<string>
        {
            "#messageId = :messageId", "#deliveryState = :state", "#stateRank = :rank", "#expiresAt = if_not_exists(#expiresAt, :expiresAt)",
        };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":messageId"] = new() { S = update.MessageId },
            [":state"] = new() { S = StateText(update.State) },
            [":rank"] = Number((long)update.State),
            [":expiresAt"] = Number((now + _recordLifetime).ToUnixTimeSeconds()),
        };
        AddIfPresent(set, values, "#errorCode = :errorCode", ":errorCode", update.ErrorCode);
        AddIfPresent(set, values, "#sendKey = if_not_exists(#sendKey, :sendKey)", ":sendKey", update.IdempotencyKey);
        AddIfPresent(set, values, "#recipientHash = if_not_exists(#recipientHash, :recipientHash)", ":recipientHash", update.RecipientHash);
        AddIfPresent(set, values, "#campaignId = if_not_exists(#campaignId, :campaignId)", ":campaignId", update.CampaignId);

        // Failed has the highest rank, so nothing moves a failed message; an equal rank is a duplicate.
        var request = new UpdateItemRequest
        {
            TableName = _tableName,
            Key = KeyOf(MessagePrefix + update.MessageId),
            UpdateExpression = "SET " + string.Join(", ", set),
            ConditionExpression = "attribute_not_exists(#stateRank) OR #stateRank < :rank",
            ExpressionAttributeNames = NamesIn([.. set, "#stateRank"]),
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.UPDATED_OLD,
        };

        UpdateItemResponse response;
        try
        {
            response = await CallAsync("UpdateItem", () => _client.UpdateItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }

        var firstNews = response.Attributes is null || !response.Attributes.ContainsKey(StateRank);
        if (firstNews && update.IdempotencyKey is { } key)
        {
            await ResolveUnknownSendAsync(key, update.MessageId, now, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public async Task SetOptOutAsync(string numberHash, bool optedOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHash);
        if (optedOut)
        {
            var put = new PutItemRequest
            {
                TableName = _tableName,
                Item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                {
                    [Id] = new() { S = OptOutPrefix + numberHash },
                    [OptedOutAt] = Number(_timeProvider.GetUtcNow().ToUnixTimeSeconds()),
                },
            };
            await CallAsync("PutItem", () => _client.PutItemAsync(put, cancellationToken), cancellationToken).ConfigureAwait(false);
            return;
        }

        var delete = new DeleteItemRequest { TableName = _tableName, Key = KeyOf(OptOutPrefix + numberHash) };
        await CallAsync("DeleteItem", () => _client.DeleteItemAsync(delete, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> FindOptedOutAsync(IReadOnlyCollection<string> numberHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHashes);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in numberHashes.Distinct(StringComparer.Ordinal).Chunk(MaxBatchGetKeys))
        {
            var pending = new KeysAndAttributes
            {
                Keys = [.. chunk.Select(hash => KeyOf(OptOutPrefix + hash))],
                ConsistentRead = true,
                ProjectionExpression = "#id",
                ExpressionAttributeNames = Names("#id"),
            };

            // Unprocessed keys (throttling) are asked again a few times; still unread after that is an outage.
            for (var round = 0; pending.Keys.Count > 0; round++)
            {
                if (round == MaxClaimRounds)
                {
                    throw new LedgerUnavailableException($"DynamoDB BatchGetItem on table '{_tableName}' left opt-outs unread after {MaxClaimRounds} rounds.");
                }

                var request = new BatchGetItemRequest { RequestItems = new(StringComparer.Ordinal) { [_tableName] = pending } };
                var response = await CallAsync("BatchGetItem", () => _client.BatchGetItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (response.Responses?.TryGetValue(_tableName, out var items) == true)
                {
                    found.UnionWith(items.Select(item => Text(item, Id)![OptOutPrefix.Length..]));
                }

                pending = response.UnprocessedKeys?.GetValueOrDefault(_tableName) ?? new KeysAndAttributes { Keys = [] };
                pending.Keys ??= [];
            }
        }

        return found;
    }

    /// <summary>Scans the whole table (a report, not a hot path): read capacity grows with the table.</summary>
    public async Task<IReadOnlyList<CampaignFunnel>> ReadFunnelsAsync(string? campaignId, CancellationToken cancellationToken)
    {
        var messages = new List<FunnelMessage>();
        var optedOut = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var request = new ScanRequest
            {
                TableName = _tableName,
                ConsistentRead = true,
                FilterExpression = "begins_with(#id, :message) OR begins_with(#id, :optout)",
                ProjectionExpression = "#id, #campaignId, #deliveryState, #errorCode, #recipientHash",
                ExpressionAttributeNames = Names("#id", "#campaignId", "#deliveryState", "#errorCode", "#recipientHash"),
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                {
                    [":message"] = new() { S = MessagePrefix },
                    [":optout"] = new() { S = OptOutPrefix },
                },
                ExclusiveStartKey = startKey,
            };
            var page = await CallAsync("Scan", () => _client.ScanAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                var id = Text(item, Id)!;
                if (id.StartsWith(OptOutPrefix, StringComparison.Ordinal))
                {
                    optedOut.Add(id[OptOutPrefix.Length..]);
                }
                else if (Text(item, CampaignId) is { } campaign && (campaignId is null || campaign == campaignId)
                    && ParseState(Text(item, DeliveryStateName)) is { } state)
                {
                    messages.Add(new FunnelMessage(campaign, state, Text(item, ErrorCode), Text(item, RecipientHash)));
                }
            }

            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);

        return FunnelMessage.Count(messages, optedOut.Contains);
    }

    /// <summary>The message item a status finds the send by. Written after the send record, which alone prevents a
    /// second send; a status that came first keeps its state.</summary>
    private async Task WriteMessageItemAsync(string key, LedgerOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var set = new List<string>
        {
            "#sendKey = :sendKey", "#deliveryState = if_not_exists(#deliveryState, :sent)", "#stateRank = if_not_exists(#stateRank, :sentRank)", "#expiresAt = :expiresAt",
        };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":sendKey"] = new() { S = key },
            [":sent"] = new() { S = StateText(DeliveryState.Sent) },
            [":sentRank"] = Number((long)DeliveryState.Sent),
            [":expiresAt"] = Number((now + _recordLifetime).ToUnixTimeSeconds()),
        };
        AddIfPresent(set, values, "#campaignId = :campaignId", ":campaignId", outcome.CampaignId);
        AddIfPresent(set, values, "#recipientHash = :recipientHash", ":recipientHash", outcome.RecipientHash);
        var request = new UpdateItemRequest
        {
            TableName = _tableName,
            Key = KeyOf(MessagePrefix + outcome.MessageId),
            UpdateExpression = "SET " + string.Join(", ", set),
            ExpressionAttributeNames = NamesIn(set),
            ExpressionAttributeValues = values,
        };

        try
        {
            await CallAsync("UpdateItem", () => _client.UpdateItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException e)
        {
            throw new LedgerUnavailableException($"The send is recorded, but its message item is not (its statuses will not be counted): {e.Message}", e);
        }
    }

    /// <summary>A send whose answer was lost keeps its claim; the first status naming its key proves it went out.</summary>
    private async Task ResolveUnknownSendAsync(string key, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = new UpdateItemRequest
        {
            TableName = _tableName,
            Key = KeyOf(key),
            UpdateExpression = "SET #status = :completed, #messageId = :messageId, #expiresAt = :expiresAt REMOVE #claimToken, #claimExpiresAt",
            ConditionExpression = "#status = :claimed",
            ExpressionAttributeNames = Names("#status", "#messageId", "#expiresAt", "#claimToken", "#claimExpiresAt"),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":completed"] = new() { S = StatusCompleted },
                [":claimed"] = new() { S = StatusClaimed },
                [":messageId"] = new() { S = messageId },
                [":expiresAt"] = Number((now + _recordLifetime).ToUnixTimeSeconds()),
            },
        };

        try
        {
            await CallAsync("UpdateItem", () => _client.UpdateItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Completed already, released, or not one of our keys: nothing to resolve.
        }
    }

    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_heldClaims.TryRemove(key, out var token))
        {
            return; // not ours to give back
        }

        var request = new DeleteItemRequest
        {
            TableName = _tableName,
            Key = KeyOf(key),
            ConditionExpression = "#status = :claimed AND #claimToken = :token",
            ExpressionAttributeNames = Names("#status", "#claimToken"),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":claimed"] = new() { S = StatusClaimed },
                [":token"] = new() { S = token },
            },
        };

        try
        {
            await CallAsync("DeleteItem", () => _client.DeleteItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Completed or taken over by another run since: nothing of ours is left to release.
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Creates the claim if the key is free: no item, an item past its TTL, or an abandoned claim.
    /// The condition is evaluated atomically, so of two racers for an expired claim only one succeeds
    /// (the winner's new expiry fails the other's condition).</summary>
    private async Task<bool> TryPutClaimAsync(string key, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [Id] = new() { S = key },
                [Status] = new() { S = StatusClaimed },
                [ClaimToken] = new() { S = token },
                [ClaimExpiresAt] = Number((now + _claimLifetime).ToUnixTimeMilliseconds()),
                [ExpiresAt] = Number((now + _recordLifetime).ToUnixTimeSeconds()),
            },
            ConditionExpression =
                "attribute_not_exists(#id) OR #expiresAt <= :nowSeconds OR (#status = :claimed AND #claimExpiresAt <= :nowMilliseconds)",
            ExpressionAttributeNames = Names("#id", "#expiresAt", "#status", "#claimExpiresAt"),
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":nowSeconds"] = Number(now.ToUnixTimeSeconds()),
                [":nowMilliseconds"] = Number(now.ToUnixTimeMilliseconds()),
                [":claimed"] = new() { S = StatusClaimed },
            },
        };

        try
        {
            await CallAsync("PutItem", () => _client.PutItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest { TableName = _tableName, Key = KeyOf(key), ConsistentRead = true };
        var response = await CallAsync("GetItem", () => _client.GetItemAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>Turns every transport or service failure into <see cref="LedgerUnavailableException"/>.
    /// Service messages are left out: a signature error echoes the signed request, session token included.</summary>
    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AmazonServiceException e)
        {
            throw new LedgerUnavailableException(
                $"DynamoDB {operation} on table '{_tableName}' failed: {e.ErrorCode ?? e.GetType().Name} (HTTP {(int)e.StatusCode}).");
        }
        // The SDK reports its own request timeout as TimeoutException: a slow table is unavailable, not an internal error.
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
        {
            var reason = e is OperationCanceledException or TimeoutException ? "timed out" : $"{e.GetType().Name}: {e.Message}";
            throw new LedgerUnavailableException($"DynamoDB {operation} on table '{_tableName}' failed: {reason}", e);
        }
    }

    private static Dictionary<string, AttributeValue> KeyOf(string key) =>
        new(StringComparer.Ordinal) { [Id] = new() { S = key } };

    private static Dictionary<string, string> Names(params string[] placeholders) =>
        placeholders.ToDictionary(p => p, p => AttributeNames[p], StringComparer.Ordinal);

    /// <summary>The attribute names every <c>#name</c> placeholder in <paramref name="expressions"/> stands for.</summary>
    private static Dictionary<string, string> NamesIn(params IEnumerable<string> expressions) =>
        Names([.. expressions.SelectMany(e => NamePlaceholder().Matches(e)).Select(m => m.Value).Distinct(StringComparer.Ordinal)]);

    [GeneratedRegex("#[A-Za-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex NamePlaceholder();

    private static void AddIfPresent(List<string> set, Dictionary<string, AttributeValue> values, string expression, string placeholder, string? value)
    {
        if (value is not null)
        {
            set.Add(expression);
            values[placeholder] = new() { S = value };
        }
    }

    private static string StateText(DeliveryState state) => state switch
    {
        DeliveryState.Sent => "sent",
        DeliveryState.Delivered => "delivered",
        DeliveryState.Read => "read",
        _ => "failed",
    };

    private static DeliveryState? ParseState(string? text) => text switch
    {
        "sent" => DeliveryState.Sent,
        "delivered" => DeliveryState.Delivered,
        "read" => DeliveryState.Read,
        "failed" => DeliveryState.Failed,
        _ => null,
    };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static bool IsAtOrBefore(Dictionary<string, AttributeValue> item, string name, long limit) =>
        item.TryGetValue(name, out var value)
        && long.TryParse(value.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
        && number <= limit;
}
