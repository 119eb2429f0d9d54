using System.ComponentModel;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class WebhookSettings : CommandSettings
{
    [CommandArgument(0, "<EVENT>")]
    [Description("Function URL event JSON file (samples/webhook-*.json; '-' reads standard input).")]
    public string EventFile { get; init; } = string.Empty;

    [CommandOption("--app-secret <SECRET>")]
    [Description("App secret signatures are checked with (else FB_APP_SECRET, else the sandbox's, which signs the samples).")]
    public string? AppSecret { get; init; }

    [CommandOption("--verify-token <TOKEN>")]
    [Description("Verification token (else WHATSAPP_WEBHOOK_VERIFY_TOKEN, else the samples' sandbox-verify-token).")]
    public string? VerifyToken { get; init; }

    [CommandOption("--ledger <FILE>")]
    [Description(LocalLedger.OptionDescription)]
    public string? Ledger { get; init; }
}
