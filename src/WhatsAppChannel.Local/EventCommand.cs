using Spectre.Console.Cli;
using Sylvan.Data.Csv;

namespace WhatsAppChannel.Local;

/// <summary><c>event</c>: writes Pinpoint events for tests at scale.</summary>
internal sealed class EventCommand : AsyncCommand<EventSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EventSettings settings, CancellationToken cancellationToken)
    {
        List<Recipient> recipients;
        try
        {
            recipients = settings.Csv is not null
                ? await ReadCsvAsync(settings.Csv, cancellationToken)
                : [.. settings.To!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => new Recipient(n, []))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            await Console.Error.WriteLineAsync($"error: cannot read {settings.Csv}: {ex.Message}");
            return ExitCodes.Failure;
        }

        if (recipients.Count == 0)
        {
            await Console.Error.WriteLineAsync("error: no phone numbers given");
            return ExitCodes.UnusableInput;
        }

        var events = EventBatchWriter.Write(recipients, settings.Template.Trim(), settings.Params, settings.Language, DateTimeOffset.UtcNow);
        if (settings.Output is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            foreach (var json in events)
            {
                await stdout.WriteAsync(json, cancellationToken);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }

            return ExitCodes.Success;
        }

        for (var i = 0; i < events.Count; i++)
        {
            var path = events.Count == 1
                ? settings.Output
                : Path.Combine(Path.GetDirectoryName(settings.Output) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(settings.Output)}-{i + 1:D3}{Path.GetExtension(settings.Output)}");
            await File.WriteAllBytesAsync(path, events[i], cancellationToken);
            await Console.Error.WriteLineAsync($"wrote {path}");
        }

        return ExitCodes.Success;
    }

    private static async Task<List<Recipient>> ReadCsvAsync(string path, CancellationToken cancellationToken)
    {
        using var text = File.OpenText(path);
        await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        var names = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        var recipients = new List<Recipient>();
        while (await csv.ReadAsync(cancellationToken))
        {
            var address = csv.GetString(0).Trim();
            if (address.Length == 0)
            {
                continue;
            }

            var attributes = names.Skip(1)
                .Select((name, i) => new KeyValuePair<string, string>(name, csv.GetString(i + 1)))
                .Where(a => a.Key.Length > 0 && a.Value.Length > 0)
                .ToList();
            recipients.Add(new Recipient(address, attributes));
        }

        return recipients;
    }
}
