namespace WhatsAppChannel.Observability;

/// <summary>What one webhook call moved forward, as CloudWatch Embedded Metric Format: <c>Delivered</c> and <c>Read</c>,
/// <c>DeliveryFailed</c> per Meta error code; each per function and per business number, like the sender's counts.
/// Duplicates are not counted.</summary>
internal sealed class DeliveryMetrics
{
    /// <summary>Stands in for a number or an error code the notification did not carry.</summary>
    private const string Unknown = "unknown";

    private readonly Dictionary<string, (int Delivered, int Read)> _moved = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PhoneNumberId, string Code), int> _failed = [];
    private readonly object _gate = new();

    public void CountDelivered(string? phoneNumberId) => Count(phoneNumberId, delivered: 1, read: 0);

    public void CountRead(string? phoneNumberId) => Count(phoneNumberId, delivered: 0, read: 1);

    public void CountFailed(string? phoneNumberId, string? errorCode)
    {
        lock (_gate)
        {
            var key = (phoneNumberId ?? Unknown, errorCode ?? Unknown);
            _failed[key] = _failed.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>One document per number for the counts, one per number and error code for failures; none when
    /// nothing moved.</summary>
    public IReadOnlyList<byte[]> ToEmf(DateTimeOffset timestamp, string functionName)
    {
        lock (_gate)
        {
            var documents = new List<byte[]>();
            foreach (var (number, (delivered, read)) in _moved.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                documents.Add(EmfDocument.Write(
                    timestamp,
                    [[EmfDocument.Service], [EmfDocument.Service, EmfDocument.PhoneNumberId]],
                    [(EmfDocument.Service, functionName), (EmfDocument.PhoneNumberId, number)],
                    [("Delivered", "Count"), ("Read", "Count")],
                    writer =>
                    {
                        writer.WriteNumber("Delivered", delivered);
                        writer.WriteNumber("Read", read);
                    }));
            }

            foreach (var ((number, code), count) in _failed.OrderBy(p => p.Key.PhoneNumberId, StringComparer.Ordinal).ThenBy(p => p.Key.Code, StringComparer.Ordinal))
            {
                documents.Add(EmfDocument.Write(
                    timestamp,
                    [[EmfDocument.Service, "ErrorCode"], [EmfDocument.Service, EmfDocument.PhoneNumberId, "ErrorCode"]],
                    [(EmfDocument.Service, functionName), (EmfDocument.PhoneNumberId, number), ("ErrorCode", code)],
                    [("DeliveryFailed", "Count")],
                    writer => writer.WriteNumber("DeliveryFailed", count)));
            }

            return documents;
        }
    }

    private void Count(string? phoneNumberId, int delivered, int read)
    {
        lock (_gate)
        {
            var key = phoneNumberId ?? Unknown;
            var (d, r) = _moved.GetValueOrDefault(key);
            _moved[key] = (d + delivered, r + read);
        }
    }
}
