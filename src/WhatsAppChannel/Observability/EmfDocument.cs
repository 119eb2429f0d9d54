using System.Buffers;
using System.Text.Json;

namespace WhatsAppChannel.Observability;

/// <summary>One CloudWatch Embedded Metric Format document: the <c>_aws</c> header naming the metrics and their
/// dimension sets, then the dimension values and the metric values at the top level. Written by hand because
/// Powertools' metrics package is not served here, and a document is a few lines of Utf8JsonWriter.</summary>
internal static class EmfDocument
{
    public const string Namespace = "WhatsAppChannel";

    /// <summary>The function's dimension: every document is counted per function first.</summary>
    public const string Service = "Service";

    /// <summary>The business number's dimension: each number has its own throughput and quality rating.</summary>
    public const string PhoneNumberId = "PhoneNumberId";

    /// <param name="dimensionSets">Each set is one way CloudWatch aggregates the same values.</param>
    /// <param name="dimensions">The value of every dimension named in a set.</param>
    /// <param name="metrics">Name and unit of each metric <paramref name="writeValues"/> writes.</param>
    public static byte[] Write(
        DateTimeOffset timestamp,
        IEnumerable<string[]> dimensionSets,
        IEnumerable<(string Name, string Value)> dimensions,
        IEnumerable<(string Name, string Unit)> metrics,
        Action<Utf8JsonWriter> writeValues)
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
            foreach (var set in dimensionSets)
            {
                writer.WriteStartArray();
                foreach (var name in set)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var (name, unit) in metrics)
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
            foreach (var (name, value) in dimensions)
            {
                writer.WriteString(name, value);
            }

            writeValues(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
