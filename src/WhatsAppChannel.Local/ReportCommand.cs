using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Local;

/// <summary><c>report</c>: what became of each campaign's messages, from the ledger the function and its webhook write
/// (the harness's SQLite file, or the table of IDEMPOTENCY_TABLE): sent, delivered, read, failed by Meta error code,
/// opted out. An unreadable ledger ends in the harness's one-line error and exit code 1.</summary>
internal sealed class ReportCommand : AsyncCommand<ReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<CampaignFunnel> funnels;
        try
        {
            var configuration = FunctionConfiguration.FromLookup(LedgerOnly);
            if (configuration.IdempotencyTable is not null)
            {
                funnels = await CampaignReport.ReadAsync(configuration, settings.Campaign, cancellationToken);
            }
            else if (!File.Exists(LocalLedger.PathOf(settings.Ledger)))
            {
                await Console.Error.WriteLineAsync(
                    $"error: no ledger at {LocalLedger.PathOf(settings.Ledger)}: run invoke or campaign here first, name the file with --ledger, or set IDEMPOTENCY_TABLE for the DynamoDB ledger.");
                return ExitCodes.UnusableInput;
            }
            else
            {
                using var ledger = LocalLedger.Open(configuration, settings.Ledger)!;
                funnels = await ledger.ReadFunnelsAsync(settings.Campaign, cancellationToken);
            }
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        if (settings.Json)
        {
            await using var stdout = Console.OpenStandardOutput();
            WriteJson(stdout, funnels);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            return ExitCodes.Success;
        }

        WriteTable(AnsiConsole.Console, funnels);
        return ExitCodes.Success;
    }

    // The report needs only the ledger's settings; the sender's required ones get stand-ins when unset.
    private static string? LedgerOnly(string name) => Environment.GetEnvironmentVariable(name) ?? name switch
    {
        "FB_BUSINESS_PHONE_ID" => "0",
        "FB_APP_TOKEN" => "unused-by-the-report",
        _ => null,
    };

    /// <summary><c>{"campaigns":[{"campaignId","sent","delivered","read","failed","failedByCode":{"131049":1},"optedOut"}]}</c>.</summary>
    private static void WriteJson(Stream output, IReadOnlyList<CampaignFunnel> funnels)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteStartArray("campaigns");
        foreach (var funnel in funnels)
        {
            writer.WriteStartObject();
            writer.WriteString("campaignId", funnel.CampaignId);
            writer.WriteNumber("sent", funnel.Sent);
            writer.WriteNumber("delivered", funnel.Delivered);
            writer.WriteNumber("read", funnel.Read);
            writer.WriteNumber("failed", funnel.Failed);
            writer.WriteStartObject("failedByCode");
            foreach (var (code, count) in funnel.FailedByCode.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(code, count);
            }

            writer.WriteEndObject();
            writer.WriteNumber("optedOut", funnel.OptedOut);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<CampaignFunnel> funnels)
    {
        if (funnels.Count == 0)
        {
            console.MarkupLine("No messages recorded for a campaign yet.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Campaign");
        foreach (var column in new[] { "Sent", "Delivered", "Read", "Failed", "Opted out" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn("Failed by code");
        foreach (var funnel in funnels)
        {
            table.AddRow(
                Markup.Escape(funnel.CampaignId),
                Count(funnel.Sent),
                WithRate(funnel.Delivered, funnel.Sent),
                WithRate(funnel.Read, funnel.Sent),
                WithRate(funnel.Failed, funnel.Sent),
                Count(funnel.OptedOut),
                Markup.Escape(string.Join(", ", funnel.FailedByCode.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"))));
        }

        console.Write(table);
        console.MarkupLine("Rates are of sent messages; read messages count as delivered too.");
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string WithRate(int value, int of) =>
        of == 0 ? Count(value) : $"{Count(value)} ({(100.0 * value / of).ToString("0.0", CultureInfo.InvariantCulture)}%)";
}
