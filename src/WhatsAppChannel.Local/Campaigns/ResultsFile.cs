using System.Globalization;
using System.Text;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Events;
using WhatsAppChannel.Observability;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>The results CSV: one row per audience row, appended as each batch finishes and flushed to disk, so a
/// crash leaves every finished batch readable. Numbers are masked; the audience file has them in full.</summary>
internal sealed class ResultsFile : IAsyncDisposable
{
    public const string Header = "Line,EndpointId,Number,Status,MessageId,Reason,Attempts";

    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ResultsFile(FileStream file)
    {
        _file = file;
        _writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public string Path => _file.Name;

    /// <summary>Takes the file for this run and writes the header. An earlier run's rows move to <c>FILE.previous</c>
    /// first, so a rerun stopped early loses nothing; a run still writing the file keeps it.</summary>
    /// <exception cref="IOException">Another run holds the file, or it cannot be written.</exception>
    public static async Task<ResultsFile> CreateAsync(string path, CancellationToken cancellationToken)
    {
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Opened without truncating: FileShare.None is a lock other runs see, and it must be held before anything
        // of the file changes.
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            if (file.Length > 0)
            {
                await using (var previous = new FileStream(path + ".previous", FileMode.Create, FileAccess.Write))
                {
                    await file.CopyToAsync(previous, cancellationToken).ConfigureAwait(false);
                }

                file.SetLength(0);
                file.Position = 0;
            }
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var results = new ResultsFile(file);
        await results._writer.WriteLineAsync(Header.AsMemory(), cancellationToken).ConfigureAwait(false);
        await results._writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    public async Task AppendAsync(IReadOnlyList<(AudienceEntry Entry, EndpointResult Result)> rows, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(rows.Count * 96);
        foreach (var (entry, result) in rows)
        {
            text.Append(entry.Row.Line.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(EndpointId(entry))).Append(',')
                .Append(Field(result.MaskedAddress ?? string.Empty)).Append(',')
                .Append(ResponseWriter.StatusText(result.Status)).Append(',')
                .Append(Field(result.MessageId ?? string.Empty)).Append(',')
                .Append(Field(Reason(result))).Append(',')
                .Append(result.Attempts.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _writer.WriteAsync(text, cancellationToken).ConfigureAwait(false);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            _file.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>An id the audience gave as is; one made from the row's number, masked like the number.</summary>
    private static string EndpointId(AudienceEntry entry) =>
        entry.Row.EndpointId is null ? PhoneMask.MaskNumbersIn(entry.EndpointId) : entry.EndpointId;

    private static string Reason(EndpointResult result) =>
        result.ErrorCode is null ? result.Reason ?? string.Empty : $"{result.ErrorCode}: {result.Reason}";

    /// <summary>RFC 4180 quoting, and a leading formula character neutralized: the file is opened in spreadsheets.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
