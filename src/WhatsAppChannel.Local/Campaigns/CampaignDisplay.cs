using System.Globalization;
using Spectre.Console;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>Shows a campaign's progress while it runs: a live bar on a terminal, else a plain line every
/// <see cref="PlainInterval"/> (a log file or CI output gets no cursor movements).</summary>
internal static class CampaignDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);

    public static async Task RunLiveAsync(IAnsiConsole console, CampaignTally tally, Func<Task> run)
    {
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(tally), maxValue: Math.Max(1, tally.Rows));
                var running = run();
                while (await Task.WhenAny(running, Task.Delay(200)) != running)
                {
                    Update(task, tally);
                }

                Update(task, tally);
                await running;
            });
    }

    public static async Task RunPlainAsync(TextWriter output, CampaignTally tally, Func<Task> run)
    {
        var running = run();
        while (await Task.WhenAny(running, Task.Delay(PlainInterval)) != running)
        {
            await output.WriteLineAsync(Line(tally));
        }

        await running;
        await output.WriteLineAsync(Line(tally));
    }

    /// <summary>One progress line: rows done, outcomes, rate and the time left.</summary>
    public static string Line(CampaignTally tally) => string.Create(CultureInfo.InvariantCulture,
        $"{tally.Done:N0}/{tally.Rows:N0} rows | sent {tally.Sent:N0} | skipped {tally.Skipped:N0} | failed {tally.Failed:N0} | {tally.Rate:N0} msg/s | ETA {Eta(tally.Remaining)}");

    private static void Update(ProgressTask task, CampaignTally tally)
    {
        task.Value = tally.Done;
        task.Description = Describe(tally);
    }

    private static string Describe(CampaignTally tally) => string.Create(CultureInfo.InvariantCulture,
        $"[green]sent {tally.Sent:N0}[/] [yellow]skipped {tally.Skipped:N0}[/] [red]failed {tally.Failed:N0}[/] [dim]{tally.Rate:N0} msg/s[/]");

    private static string Eta(TimeSpan? remaining) => remaining is { } left
        ? left.ToString(left.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture)
        : "-";
}
