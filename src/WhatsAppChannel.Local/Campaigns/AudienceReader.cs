using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Sylvan.Data.Csv;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>Streams an audience file, a CSV with a header row or JSON Lines, one row at a time: only the current
/// row is held, whatever the file's size.</summary>
internal static class AudienceReader
{
    /// <summary>Column names that carry the phone number (a Distributed Map row calls it either).</summary>
    private static readonly string[] AddressColumns = ["Address", "phone"];

    /// <exception cref="AudienceException">The file is missing, malformed or has no phone number column.</exception>
    public static IAsyncEnumerable<AudienceRow> ReadAsync(string path, CancellationToken cancellationToken) =>
        IsJsonLines(path) ? ReadJsonLinesAsync(path, cancellationToken) : ReadCsvAsync(path, cancellationToken);

    private static bool IsJsonLines(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    private static async IAsyncEnumerable<AudienceRow> ReadCsvAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = Open(path);
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        }
        catch (CsvFormatException ex)
        {
            throw new AudienceException($"{path}: not a readable CSV header: {ex.Message}", ex);
        }

        await using var _ = csv;
        var names = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToArray();
        var addressColumn = Array.FindIndex(names, n => AddressColumns.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (addressColumn < 0)
        {
            throw new AudienceException($"{path}: no phone number column (the header needs Address or phone; it has {string.Join(", ", names)})");
        }

        var duplicate = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new AudienceException($"{path}: column '{duplicate.Key}' appears twice in the header");
        }

        // Line 1 is the header; Sylvan counts records, so quoted line breaks make this the record number + 1.
        long line = 1;
        while (await ReadRecordAsync(csv, path, line + 1, cancellationToken))
        {
            line++;
            if (csv.RowFieldCount == 0 || (csv.RowFieldCount == 1 && csv.GetString(0).Length == 0))
            {
                continue; // a blank line, often the last one of a hand-edited file
            }

            if (csv.RowFieldCount != names.Length)
            {
                throw new AudienceException($"{path} line {line}: {csv.RowFieldCount} fields where the header has {names.Length}");
            }

            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                fields[names[i]] = csv.GetString(i);
            }

            yield return Map(line, fields, []);
        }
    }

    private static async Task<bool> ReadRecordAsync(CsvDataReader csv, string path, long line, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadAsync(cancellationToken);
        }
        catch (CsvFormatException ex)
        {
            throw new AudienceException($"{path} line {line}: malformed CSV ({ex.Message})", ex);
        }
    }

    private static async IAsyncEnumerable<AudienceRow> ReadJsonLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = Open(path);
        long line = 0;
        while (await text.ReadLineAsync(cancellationToken) is { } json)
        {
            line++;
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            yield return ParseJsonLine(path, line, json);
        }
    }

    private static AudienceRow ParseJsonLine(string path, long line, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new AudienceException($"{path} line {line}: not JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AudienceException($"{path} line {line}: expected a JSON object, found {document.RootElement.ValueKind}");
            }

            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var userAttributes = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("User") && property.Value.ValueKind == JsonValueKind.Object)
                {
                    ReadUserAttributes(path, line, property.Value, userAttributes);
                    continue;
                }

                fields[property.Name] = Scalar(path, line, property.Name, property.Value) ?? string.Empty;
            }

            if (!fields.Keys.Any(k => AddressColumns.Contains(k, StringComparer.OrdinalIgnoreCase)))
            {
                throw new AudienceException($"{path} line {line}: no phone number (give Address or phone)");
            }

            return Map(line, fields, userAttributes);
        }
    }

    /// <summary>A Pinpoint-shaped <c>User.UserAttributes</c>: each value a string or an array of strings (the first counts).</summary>
    private static void ReadUserAttributes(string path, long line, JsonElement user, List<KeyValuePair<string, string>> attributes)
    {
        if (!user.TryGetProperty("UserAttributes", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var attribute in values.EnumerateObject())
        {
            var value = attribute.Value.ValueKind == JsonValueKind.Array
                ? attribute.Value.EnumerateArray().Select(v => Scalar(path, line, attribute.Name, v)).FirstOrDefault()
                : Scalar(path, line, attribute.Name, attribute.Value);
            if (!string.IsNullOrEmpty(value))
            {
                attributes.Add(KeyValuePair.Create(attribute.Name, value));
            }
        }
    }

    private static string? Scalar(string path, long line, string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => null,
        _ => throw new AudienceException($"{path} line {line}: '{name}' is {(value.ValueKind == JsonValueKind.Object ? "an object" : "an array")}, expected text"),
    };

    /// <summary>The endpoint fields by name; every other non-empty field becomes a user attribute.</summary>
    private static AudienceRow Map(long line, Dictionary<string, string> fields, List<KeyValuePair<string, string>> attributes)
    {
        string? Take(string name) => fields.Remove(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var address = Take("Address");
        var phone = Take("phone");
        var row = new AudienceRow(line, Take("EndpointId"), address ?? phone, Take("OptOut"), Take("EndpointStatus"), Take("Locale"), attributes);
        foreach (var (name, value) in fields)
        {
            if (name.Length > 0 && value.Length > 0)
            {
                attributes.Add(KeyValuePair.Create(name, value));
            }
        }

        return row;
    }

    private static StreamReader Open(string path)
    {
        try
        {
            return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudienceException($"cannot read {path}: {ex.Message}", ex);
        }
    }
}
