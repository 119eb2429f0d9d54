using System.Buffers;
using System.Text;
using System.Text.Json;

namespace WhatsAppChannel.Observability;

/// <summary>Structured logs: one JSON object per line, written whole so concurrent sends never interleave.</summary>
internal sealed class JsonLog(TextWriter output, LogLevel minimumLevel, TimeProvider timeProvider)
{
    private readonly object _gate = new();

    public bool IsEnabled(LogLevel level) => level >= minimumLevel;

    /// <summary>Writes one line; <paramref name="fields"/> adds properties after timestamp, level and message.</summary>
    public void Write(LogLevel level, string message, Action<Utf8JsonWriter>? fields = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", timeProvider.GetUtcNow());
            writer.WriteString("level", level.ToString());
            writer.WriteString("message", message);
            fields?.Invoke(writer);
            writer.WriteEndObject();
        }

        WriteLine(buffer.WrittenSpan);
    }

    /// <summary>Writes an already-serialized JSON line (metrics).</summary>
    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        var line = Encoding.UTF8.GetString(utf8Json);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
