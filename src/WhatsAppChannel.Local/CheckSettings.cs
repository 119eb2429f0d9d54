using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class CheckSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A campaign's Data JSON ({\"templateName\": ..., \"params\": [...]}) or an event file carrying Data.")]
    public string File { get; init; } = string.Empty;

    [CommandOption("--language <CODE>")]
    [Description("Check this language (else Data.language, else WHATSAPP_DEFAULT_LANGUAGE, else en_US).")]
    public string? Language { get; init; }

    [CommandOption("--graph-url <URL>")]
    [Description("Read the template listing from this Graph server instead of the built-in sandbox.")]
    public string? GraphUrl { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("Access token for --graph-url (else FB_APP_TOKEN / FB_SECRET_ARN from the environment); needs whatsapp_business_management.")]
    public string? Token { get; init; }

    [CommandOption("--waba-id <ID>")]
    [Description("WhatsApp Business Account id for --graph-url (else WHATSAPP_BUSINESS_ACCOUNT_ID).")]
    public string? BusinessAccountId { get; init; }

    [CommandOption("--sample <NAME=VALUE>")]
    [Description("A sample recipient's attribute ({{User.UserAttributes.NAME}}), repeatable; replaces the event's first recipient.")]
    public string[] Sample { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (GraphUrl is null && (Token ?? BusinessAccountId) is not null)
        {
            return ValidationResult.Error("--token and --waba-id are for --graph-url");
        }

        return Sample.FirstOrDefault(s => s.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad
            ? ValidationResult.Error($"--sample '{bad}' is not NAME=VALUE")
            : ValidationResult.Success();
    }
}
