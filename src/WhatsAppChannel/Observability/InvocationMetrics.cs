using System.Buffers;
using System.Text.Json;
using WhatsAppChannel.Delivery;

namespace WhatsAppChannel.Observability;

/// <summary>One invocation's counts and send latencies, written as CloudWatch Embedded Metric Format.</summary>
public sealed class InvocationMetrics
{
    public const string Namespace = "WhatsAppChannel";

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

    /// <summary>The EMF document: CloudWatch extracts the metrics from this log line.</summary>
    public byte[] ToEmf(DateTimeOffset timestamp, string functionName)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("_aws");
            writer.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            writer.WriteStartArray("CloudWatchMetrics");
            writer.WriteStartObject();
            writer.WriteString("Namespace", Namespace);
            writer.WriteStartArray("Dimensions");
            writer.WriteStartArray();
            writer.WriteStringValue("Service");
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var (name, unit) in new[] { ("Sent", "Count"), ("Skipped", "Count"), ("Failed", "Count"), ("Retries", "Count"), ("SendLatency", "Milliseconds") })
            {
                writer.WriteStartObject();
                writer.WriteString("Name", name);
                writer.WriteString("Unit", unit);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString("Service", functionName);
            writer.WriteNumber(nameof(Sent), Sent);
            writer.WriteNumber(nameof(Skipped), Skipped);
            writer.WriteNumber(nameof(Failed), Failed);
            writer.WriteNumber(nameof(Retries), Retries);
            writer.WriteStartArray("SendLatency");
            foreach (var latency in SendLatencyMilliseconds)
            {
                writer.WriteNumberValue(latency);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
