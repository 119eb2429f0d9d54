using Spectre.Console;
using WhatsAppChannel.Events;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Local;

/// <summary>Shows the invocation's outcome as a table: one row per endpoint, then the totals.</summary>
internal static class ResultTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<EndpointResult> results, SandboxServer? sandbox)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Endpoint");
        table.AddColumn("Address");
        table.AddColumn("Status");
        table.AddColumn("Message id / reason");
        table.AddColumn(new TableColumn("Attempts").RightAligned());
        foreach (var result in results)
        {
            var detail = result.MessageId is not null && result.Reason is not null
                ? $"{result.Reason} ({result.MessageId})"
                : result.MessageId ?? (result.ErrorCode is null ? result.Reason : $"{result.ErrorCode}: {result.Reason}") ?? string.Empty;
            var status = ResponseWriter.StatusText(result.Status);
            var cells = new[]
            {
                Markup.Escape(result.EndpointId),
                Markup.Escape(result.MaskedAddress ?? string.Empty),
                result.Status switch { EndpointStatus.Sent => $"[green]{status}[/]", EndpointStatus.Skipped => $"[yellow]{status}[/]", _ => $"[red]{status}[/]" },
                Markup.Escape(detail),
                result.Attempts > 0 ? result.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
            };
            table.AddRow(cells);
        }

        console.Write(table);
        if (sandbox is not null)
        {
            WriteRenderedTexts(console, results, sandbox);
        }

        console.MarkupLine(
            $"[bold]{results.Count}[/] endpoints: [green]{results.Count(r => r.Status == EndpointStatus.Sent)} sent[/], " +
            $"[yellow]{results.Count(r => r.Status == EndpointStatus.Skipped)} skipped[/], " +
            $"[red]{results.Count(r => r.Status == EndpointStatus.Failed)} failed[/]");
    }

    /// <summary>What each recipient reads, as the sandbox rendered it; a column would wrap the text unreadably.</summary>
    private static void WriteRenderedTexts(IAnsiConsole console, IReadOnlyList<EndpointResult> results, SandboxServer sandbox)
    {
        var sent = results
            .Where(r => r.Status == EndpointStatus.Sent && r.MessageId is not null)
            .Select(r => (r.EndpointId, Message: sandbox.FindMessage(r.MessageId!)))
            .Where(r => r.Message is not null)
            .ToList();
        if (sent.Count == 0)
        {
            return;
        }

        console.MarkupLine("[bold]What the recipients read[/] (rendered by the sandbox):");
        foreach (var (endpointId, message) in sent)
        {
            console.MarkupLineInterpolated($"  [dim]{endpointId}[/] ({message!.TemplateName}/{message.Language}): {message.RenderedText}");
        }
    }
}
