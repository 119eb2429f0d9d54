using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Observability;

/// <summary>One invocation's counts and send latencies, written as CloudWatch Embedded Metric Format. Each document is
/// counted twice by CloudWatch: per function (<c>Service</c>, what the alarms watch) and per sending number
/// (<c>Service</c>, <c>PhoneNumberId</c>), since each number has its own throughput and quality rating.</summary>
internal sealed class InvocationMetrics
{
    public int Sent { get; private set; }
    public int Skipped { get; private set; }
    public int Failed { get; private set; }
    public int Retries { get; private set; }
    public List<double> SendLatencyMilliseconds { get; } = [];

    public static InvocationMetrics From(IEnumerable<EndpointResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var metrics = new InvocationMetrics();
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case EndpointStatus.Sent:
                    metrics.Sent++;
                    break;
                case EndpointStatus.Skipped:
                    metrics.Skipped++;
                    break;
                default:
                    metrics.Failed++;
                    break;
            }

            metrics.Retries += Math.Max(0, result.Attempts - 1);
            if (result.Attempts > 0)
            {
                metrics.SendLatencyMilliseconds.Add(Math.Round(result.Duration.TotalMilliseconds, 1));
            }
        }

        return metrics;
    }

    /// <summary>The EMF documents: CloudWatch extracts the metrics from these log lines. A metric holds at most
    /// 100 values per document, so latencies beyond that go into further documents (counts only in the first).</summary>
    /// <param name="phoneNumberId">The number the invocation sent from (Meta's id, or AWS's origination id).</param>
    public IEnumerable<byte[]> ToEmf(DateTimeOffset timestamp, string functionName, string phoneNumberId)
    {
        const int MaxValues = 100;
        yield return Document(timestamp, functionName, phoneNumberId, withCounts: true, SendLatencyMilliseconds.Take(MaxValues).ToList());
        for (var start = MaxValues; start < SendLatencyMilliseconds.Count; start += MaxValues)
        {
            yield return Document(timestamp, functionName, phoneNumberId, withCounts: false, SendLatencyMilliseconds.Skip(start).Take(MaxValues).ToList());
        }
    }

    private byte[] Document(DateTimeOffset timestamp, string functionName, string phoneNumberId, bool withCounts, List<double> latencies)
    {
        var metrics = new List<(string Name, string Unit)>();
        if (withCounts)
        {
            metrics.AddRange([(nameof(Sent), "Count"), (nameof(Skipped), "Count"), (nameof(Failed), "Count"), (nameof(Retries), "Count")]);
        }

        if (latencies.Count > 0)
        {
            metrics.Add(("SendLatency", "Milliseconds"));
        }

        return EmfDocument.Write(
            timestamp,
            [[EmfDocument.Service], [EmfDocument.Service, EmfDocument.PhoneNumberId]],
            [(EmfDocument.Service, functionName), (EmfDocument.PhoneNumberId, phoneNumberId)],
            metrics,
            writer =>
            {
                if (withCounts)
                {
                    writer.WriteNumber(nameof(Sent), Sent);
                    writer.WriteNumber(nameof(Skipped), Skipped);
                    writer.WriteNumber(nameof(Failed), Failed);
                    writer.WriteNumber(nameof(Retries), Retries);
                }

                if (latencies.Count > 0)
                {
                    writer.WriteStartArray("SendLatency");
                    foreach (var latency in latencies)
                    {
                        writer.WriteNumberValue(latency);
                    }

                    writer.WriteEndArray();
                }
            });
    }
}
