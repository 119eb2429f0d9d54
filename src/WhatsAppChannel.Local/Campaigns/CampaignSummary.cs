using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>How a campaign run ended, for people (a few lines) or scripts (<c>--json</c>).</summary>
internal sealed record CampaignSummary(string CampaignId, CampaignTally Tally, string ResultsPath, string Ledger, bool Interrupted, string? Error)
{
    public void Write(IAnsiConsole console)
    {
        var seconds = Tally.Elapsed.TotalSeconds;
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Campaign [bold]{CampaignId}[/]: {Tally.Done:N0} of {Tally.Rows:N0} rows: [green]{Tally.Sent:N0} sent[/], [yellow]{Tally.Skipped:N0} skipped[/], [red]{Tally.Failed:N0} failed[/] in {seconds:N1} s ({Tally.Rate:N0} msg/s)");
        if (Tally.Reasons.Count > 0)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  [dim]{string.Join(", ", Tally.Reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value:N0}"))}[/]");
        }

        console.MarkupLineInterpolated($"  results: {ResultsPath}");
        console.MarkupLineInterpolated($"  ledger:  {Ledger}");
        if (Error is not null)
        {
            console.MarkupLineInterpolated($"[red]stopped: {Error}[/]");
        }
        else if (Interrupted)
        {
            console.MarkupLine("[yellow]stopped by Ctrl+C: run the same command again to send the rest.[/]");
        }
    }

    public void WriteJson(Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("campaignId", CampaignId);
        writer.WriteNumber("rows", Tally.Rows);
        writer.WriteNumber("done", Tally.Done);
        writer.WriteNumber("sent", Tally.Sent);
        writer.WriteNumber("skipped", Tally.Skipped);
        writer.WriteNumber("failed", Tally.Failed);
        writer.WriteStartObject("reasons");
        foreach (var (reason, count) in Tally.Reasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("seconds", Math.Round(Tally.Elapsed.TotalSeconds, 3));
        writer.WriteNumber("messagesPerSecond", Math.Round(Tally.Rate, 1));
        writer.WriteString("results", ResultsPath);
        writer.WriteString("ledger", Ledger);
        writer.WriteBoolean("interrupted", Interrupted);
        if (Error is not null)
        {
            writer.WriteString("error", Error);
        }

        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n"u8);
    }
}
