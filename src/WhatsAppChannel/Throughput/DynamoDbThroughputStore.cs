using System.Globalization;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace WhatsAppChannel.Throughput;

/// <summary>The budget shared by every instance, in the idempotency table: one item per number and slot
/// (<c>id</c> = <c>throughput#&lt;phone number id&gt;#&lt;slot&gt;</c>) counting the permits taken, removed by TTL
/// (<c>expiresAt</c>). A take is one conditional atomic update: add what is wanted if the slot is not full yet, and
/// grant what fits under the slot's cap. Additions are serialized by DynamoDB, so the grants of all instances
/// together never pass the cap; a slot only counts past it by the part of the last request it could not grant.</summary>
internal sealed class DynamoDbThroughputStore(IAmazonDynamoDB client, string tableName, int perSecond, bool ownsClient)
    : IThroughputStore, IDisposable
{
    private const string KeyPrefix = "throughput#";

    // Long enough for any clock skew between instances; TTL deletion is free and DynamoDB does it within days.
    private static readonly TimeSpan ItemLifetime = TimeSpan.FromHours(1);

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["#permits"] = "permits",
        ["#expiresAt"] = "expiresAt",
    };

    public async ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneNumberId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wanted);
        var cap = ThroughputSlots.CapOf(slot, perSecond);
        var request = new UpdateItemRequest
        {
            TableName = tableName,
            Key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                ["id"] = new() { S = KeyOf(phoneNumberId, slot) },
            },
            UpdateExpression = "ADD #permits :wanted SET #expiresAt = :expiresAt",
            ConditionExpression = "attribute_not_exists(#permits) OR #permits < :cap",
            ExpressionAttributeNames = Names,
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [":wanted"] = Number(wanted),
                [":cap"] = Number(cap),
                [":expiresAt"] = Number((ThroughputSlots.StartOf(slot) + ItemLifetime).ToUnixTimeSeconds()),
            },
            ReturnValues = ReturnValue.UPDATED_NEW,
        };

        UpdateItemResponse response;
        try
        {
            response = await client.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return 0; // full: the caller moves on to the next slot
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AmazonServiceException e)
        {
            // The service's message is left out: a signature error echoes the signed request.
            throw new ThroughputStoreUnavailableException(
                $"DynamoDB UpdateItem on table '{tableName}' failed: {e.ErrorCode ?? e.GetType().Name} (HTTP {(int)e.StatusCode}).");
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
        {
            var reason = e is OperationCanceledException or TimeoutException ? "timed out" : $"{e.GetType().Name}: {e.Message}";
            throw new ThroughputStoreUnavailableException($"DynamoDB UpdateItem on table '{tableName}' failed: {reason}", e);
        }

        var after = response.Attributes is { } attributes
            && attributes.TryGetValue("permits", out var permits)
            && long.TryParse(permits.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                ? count
                : throw new ThroughputStoreUnavailableException($"DynamoDB UpdateItem on table '{tableName}' returned no permit count.");
        var before = after - wanted;
        return (int)Math.Clamp(cap - before, 0, wanted);
    }

    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }

    internal static string KeyOf(string phoneNumberId, long slot) =>
        KeyPrefix + phoneNumberId + "#" + slot.ToString(CultureInfo.InvariantCulture);

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
