using System.Globalization;
using Amazon.DynamoDBv2.Model;
using WhatsAppChannel.IntegrationTests.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>Everything the DynamoDB ledger table holds, read straight from dynalite (a consistent scan),
/// by the attribute names the ledger writes: <c>status</c>, <c>messageId</c>, <c>claimExpiresAt</c> (epoch ms).
/// The throughput budget's slot items share the table; they are not ledger records and are left out.</summary>
internal sealed record LedgerSnapshot(IReadOnlyList<LedgerSnapshot.Item> Items)
{
    public IReadOnlyList<Item> Completed => [.. Items.Where(item => item.Status == "completed")];

    public IReadOnlyList<Item> Claimed => [.. Items.Where(item => item.Status == "claimed")];

    public static async Task<LedgerSnapshot> ReadAsync(DynaliteServer server, string table)
    {
        using var client = server.CreateClient();
        var items = new List<Item>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true, ExclusiveStartKey = start });
            // Send records only: throughput slots, message and opt-out items live beside them.
            foreach (var item in (page.Items ?? []).Where(item => !item["id"].S.StartsWith("message#", StringComparison.Ordinal) && !item["id"].S.StartsWith("optout#", StringComparison.Ordinal) && !item["id"].S.StartsWith("throughput#", StringComparison.Ordinal)))
            {
                items.Add(new Item(
                    item["id"].S,
                    item.TryGetValue("status", out var status) ? status.S : null,
                    item.TryGetValue("messageId", out var id) ? id.S : null,
                    item.TryGetValue("claimExpiresAt", out var expiry)
                        ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(expiry.N, CultureInfo.InvariantCulture))
                        : null));
            }

            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return new LedgerSnapshot(items);
    }

    internal sealed record Item(string Key, string? Status, string? MessageId, DateTimeOffset? ClaimExpiresAt);
}
