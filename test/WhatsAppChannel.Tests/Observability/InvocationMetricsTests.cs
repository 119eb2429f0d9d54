using System.Text.Json;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Observability;

public sealed class InvocationMetricsTests
{
    private static List<JsonDocument> Emf(IEnumerable<EndpointResult> results) =>
        [.. InvocationMetrics.From(results).ToEmf(DateTimeOffset.UnixEpoch, "fn", "100000000000002").Select(bytes => JsonDocument.Parse(bytes))];

    [Fact]
    public void Counts_and_latencies_are_one_valid_emf_document()
    {
        var documents = Emf(
        [
            new EndpointResult("a", EndpointStatus.Sent) { Attempts = 3, Duration = TimeSpan.FromMilliseconds(120) },
            new EndpointResult("b", EndpointStatus.Skipped) { Reason = "opted-out" },
            new EndpointResult("c", EndpointStatus.Failed) { Attempts = 1, Duration = TimeSpan.FromMilliseconds(80) },
        ]);

        var root = Assert.Single(documents).RootElement;
        var directive = root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("WhatsAppChannel", directive.GetProperty("Namespace").GetString());
        Assert.Equal(["Sent", "Skipped", "Failed", "Retries", "SendLatency"], directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.All(directive.GetProperty("Dimensions").EnumerateArray().SelectMany(set => set.EnumerateArray()), d => Assert.True(root.TryGetProperty(d.GetString()!, out _)));
        Assert.Equal(1, root.GetProperty("Sent").GetInt32());
        Assert.Equal(1, root.GetProperty("Skipped").GetInt32());
        Assert.Equal(1, root.GetProperty("Failed").GetInt32());
        Assert.Equal(2, root.GetProperty("Retries").GetInt32());
        Assert.Equal([120.0, 80.0], root.GetProperty("SendLatency").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void More_than_100_latencies_are_split_across_documents_and_counted_once()
    {
        var results = Enumerable.Range(0, 250).Select(i => new EndpointResult($"e{i}", EndpointStatus.Sent) { Attempts = 1, Duration = TimeSpan.FromMilliseconds(i) });

        var documents = Emf(results);

        Assert.Equal(3, documents.Count);
        Assert.All(documents, d => Assert.True(d.RootElement.GetProperty("SendLatency").GetArrayLength() <= 100));
        Assert.Equal(250, documents.Sum(d => d.RootElement.GetProperty("SendLatency").GetArrayLength()));
        Assert.Equal(250, documents[0].RootElement.GetProperty("Sent").GetInt32());
        Assert.False(documents[1].RootElement.TryGetProperty("Sent", out _));
    }

    [Fact]
    public void Without_sends_there_is_no_empty_latency_metric()
    {
        var root = Assert.Single(Emf([new EndpointResult("a", EndpointStatus.Skipped)])).RootElement;

        Assert.False(root.TryGetProperty("SendLatency", out _));
        Assert.DoesNotContain("SendLatency", root.GetProperty("_aws").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_document_counts_per_function_and_per_sending_number()
    {
        var results = Enumerable.Range(0, 150).Select(i => new EndpointResult($"e{i}", EndpointStatus.Sent) { Attempts = 1, Duration = TimeSpan.FromMilliseconds(i) });

        var documents = Emf(results);

        Assert.Equal(2, documents.Count);
        Assert.All(documents, document =>
        {
            var root = document.RootElement;
            var directive = Assert.Single(root.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
            var sets = directive.GetProperty("Dimensions").EnumerateArray().Select(set => set.EnumerateArray().Select(d => d.GetString()).ToArray()).ToArray();
            Assert.Equal([["Service"], ["Service", "PhoneNumberId"]], sets);
            Assert.Equal("fn", root.GetProperty("Service").GetString());
            Assert.Equal("100000000000002", root.GetProperty("PhoneNumberId").GetString());
        });
    }

    [Fact]
    public void An_aws_origination_arn_is_written_as_the_dimension_value_unchanged()
    {
        const string Arn = "arn:aws:social-messaging:eu-west-1:123456789012:phone-number-id/0123456789abcdef0123456789abcdef";

        var bytes = Assert.Single(InvocationMetrics.From([new EndpointResult("a", EndpointStatus.Sent) { Attempts = 1 }]).ToEmf(DateTimeOffset.UnixEpoch, "fn", Arn));

        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(Arn, document.RootElement.GetProperty("PhoneNumberId").GetString());
    }
}
