using Spectre.Console;
using WhatsAppChannel.Delivery;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Pinpoint;
using WhatsAppChannel.Sandbox;

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
        if (sandbox is not null)
        {
            table.AddColumn("Text the recipient reads");
        }

        foreach (var result in results)
        {
            var detail = result.MessageId is not null && result.Reason is not null
                ? $"{result.Reason} ({result.MessageId})"
                : result.MessageId ?? (result.ErrorCode is null ? result.Reason : $"{result.ErrorCode}: {result.Reason}") ?? string.Empty;
            var status = ResponseWriter.StatusText(result.Status);
            var cells = new List<string>
            {
                Markup.Escape(result.EndpointId),
                Markup.Escape(result.MaskedAddress ?? string.Empty),
                result.Status switch { EndpointStatus.Sent => $"[green]{status}[/]", EndpointStatus.Skipped => $"[yellow]{status}[/]", _ => $"[red]{status}[/]" },
                Markup.Escape(detail),
                result.Attempts > 0 ? result.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
            };
            if (sandbox is not null)
            {
                var message = result.Status == EndpointStatus.Sent && result.MessageId is not null ? sandbox.FindMessage(result.MessageId) : null;
                cells.Add(Markup.Escape(message?.RenderedText ?? string.Empty));
            }

            table.AddRow([.. cells]);
        }

        console.Write(table);
        console.MarkupLine(
            $"[bold]{results.Count}[/] endpoints: [green]{results.Count(r => r.Status == EndpointStatus.Sent)} sent[/], " +
            $"[yellow]{results.Count(r => r.Status == EndpointStatus.Skipped)} skipped[/], " +
            $"[red]{results.Count(r => r.Status == EndpointStatus.Failed)} failed[/]");
    }
}
