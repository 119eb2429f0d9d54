using Spectre.Console;
using Spectre.Console.Cli;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Local;

/// <summary><c>sandbox</c>: the Cloud API sandbox alone, printing each accepted message, until Ctrl+C.</summary>
internal sealed class SandboxCommand : AsyncCommand<SandboxSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SandboxSettings settings, CancellationToken cancellationToken)
    {
        var options = new SandboxOptions
        {
            Port = settings.Port,
            TemplatesFile = settings.Templates,
            Latency = TimeSpan.FromMilliseconds(settings.LatencyMilliseconds),
            ServerErrorRate = settings.FaultRate,
            MessagesPerSecondCap = settings.RateCap,
            PairRateWindow = settings.NoPairLimit ? null : TimeSpan.FromSeconds(6),
            UndeliverableNumbers = settings.Undeliverable,
            WebhookUrl = settings.WebhookUrl is null ? null : new Uri(settings.WebhookUrl),
            WebhookAppSecret = settings.AppSecret ?? "sandbox-app-secret",
            OnAccepted = message => AnsiConsole.MarkupLineInterpolated(
                $"[green]{message.AcceptedAt:HH:mm:ss}[/] {message.Id} to {message.To} ({message.TemplateName}/{message.Language}): {message.RenderedText}"),
        };

        await using var sandbox = await SandboxServer.StartAsync(options, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"WhatsApp sandbox on [bold]{sandbox.BaseUrl}[/]");
        AnsiConsole.MarkupLineInterpolated($"  preview: open [bold]{sandbox.BaseUrl}[/] in a browser: each recipient's chat, live");
        AnsiConsole.MarkupLineInterpolated($"  token [bold]{options.AccessToken}[/], phone number id [bold]{options.PhoneNumberId}[/]");
        AnsiConsole.MarkupLineInterpolated($"  try: whatsapp-channel invoke samples/campaign-event.json --graph-url {sandbox.BaseUrl} --token {options.AccessToken} --phone-number-id {options.PhoneNumberId}");
        AnsiConsole.MarkupLineInterpolated($"  template listing (preflight, check): WHATSAPP_BUSINESS_ACCOUNT_ID={options.BusinessAccountId}");
        AnsiConsole.MarkupLine("  accepted messages: GET /_sandbox/messages; Ctrl+C stops.");
        if (options.WebhookUrl is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"  status webhooks go to [bold]{options.WebhookUrl}[/], signed with the given app secret");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return ExitCodes.Success;
    }
}
