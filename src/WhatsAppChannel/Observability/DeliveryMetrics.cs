using System.Buffers;
using System.Text.Json;

namespace WhatsAppChannel.Observability;

/// <summary>What one webhook call moved forward, as CloudWatch Embedded Metric Format: <c>Delivered</c> and <c>Read</c>
/// per service, <c>DeliveryFailed</c> per service and Meta error code. Duplicates are not counted.</summary>
internal sealed class DeliveryMetrics
{
    private readonly Dictionary<string, int> _failedByCode = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _delivered;
    private int _read;

    public void CountDelivered() => Interlocked.Increment(ref _delivered);

    public void CountRead() => Interlocked.Increment(ref _read);

    public void CountFailed(string? errorCode)
    {
        lock (_gate)
        {
            var code = errorCode ?? "unknown";
            _failedByCode[code] = _failedByCode.GetValueOrDefault(code) + 1;
        }
    }

    /// <summary>One document for the counts, one per error code for failures; none when nothing moved.</summary>
    public IEnumerable<byte[]> ToEmf(DateTimeOffset timestamp, string functionName)
    {
        if (_delivered > 0 || _read > 0)
        {
            yield return Document(timestamp, functionName, errorCode: null, [("Delivered", _delivered), ("Read", _read)]);
        }

        KeyValuePair<string, int>[] failed;
        lock (_gate)
        {
            failed = [.. _failedByCode.OrderBy(p => p.Key, StringComparer.Ordinal)];
        }

        foreach (var (code, count) in failed)
        {
            yield return Document(timestamp, functionName, code, [("DeliveryFailed", count)]);
        }
    }

    private static byte[] Document(DateTimeOffset timestamp, string functionName, string? errorCode, (string Name, int Value)[] metrics)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("_aws");
            writer.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            writer.WriteStartArray("CloudWatchMetrics");
            writer.WriteStartObject();
            writer.WriteString("Namespace", InvocationMetrics.Namespace);
            writer.WriteStartArray("Dimensions");
            writer.WriteStartArray();
            writer.WriteStringValue("Service");
            if (errorCode is not null)
            {
                writer.WriteStringValue("ErrorCode");
            }

            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var (name, _) in metrics)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", name);
                writer.WriteString("Unit", "Count");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString("Service", functionName);
            if (errorCode is not null)
            {
                writer.WriteString("ErrorCode", errorCode);
            }

            foreach (var (name, value) in metrics)
            {
                writer.WriteNumber(name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
