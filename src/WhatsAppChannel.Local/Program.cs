using Spectre.Console.Cli;
using WhatsAppChannel.Local;
using WhatsAppChannel.Local.Campaigns;

// Piped output is read by tools and people alike: no wrapping of the table's text at 80 columns.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("whatsapp-channel");
    config.AddCommand<InvokeCommand>("invoke")
        .WithDescription("Run the real handler on a Pinpoint event file; without --graph-url it goes through a local WhatsApp sandbox.")
        .WithExample("invoke", "samples/campaign-event.json");
    config.AddCommand<CheckCommand>("check")
        .WithDescription("Check a campaign's Data against its approved template (the function's preflight) and show what the first recipient reads; exit 2 on a mismatch.")
        .WithExample("check", "samples/campaign-data.json", "--sample", "FirstName=Mary");
    config.AddCommand<SandboxCommand>("sandbox")
        .WithDescription("Run the WhatsApp Cloud API sandbox on 127.0.0.1 until Ctrl+C.");
    config.AddCommand<CampaignCommand>("campaign")
        .WithDescription("Send a campaign to a CSV or JSON Lines audience in batches of 50, with progress and a results file; rerun to resume.")
        .WithExample("campaign", "samples/audience.csv", "--data", "samples/campaign-data.json", "--campaign-id", "spring-sale");
    config.AddCommand<EventCommand>("event")
        .WithDescription("Write a Pinpoint custom-channel event (batches of 50 endpoints).")
        .WithExample("event", "--to", "+14155550123,+447700900123", "--template", "ordertimeoutnotification", "--param", "{{User.UserAttributes.FirstName|there}}", "--param", "T-shirt", "-o", "event.json");
    config.AddCommand<WebhookCommand>("webhook")
        .WithDescription("Run the webhook handler on a Function URL event file and print its answer (statuses and STOP go to the ledger).")
        .WithExample("webhook", "samples/webhook-statuses.json");
    config.AddCommand<ReportCommand>("report")
        .WithDescription("The funnel per campaign from the ledger (the local SQLite file, or IDEMPOTENCY_TABLE): sent, delivered, read, failed by error code, opted out.")
        .WithExample("report", "--campaign", "spring-sale", "--json");
    config.PropagateExceptions();
});

try
{
    return await app.RunAsync(args).ConfigureAwait(false);
}
catch (CommandAppException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
    return ExitCodes.UnusableInput;
}
catch (Exception ex)
{
    // One line, no stack trace: the details are for a bug report, not for a user of the harness.
    await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
    return ExitCodes.Failure;
}
