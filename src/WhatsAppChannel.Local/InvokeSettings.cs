using System.ComponentModel;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class InvokeSettings : CommandSettings
{
    [CommandArgument(0, "<EVENT>")]
    [Description("Event JSON file: Pinpoint, a Step Functions batch or an Amazon Connect action ('-' reads standard input).")]
    public string EventFile { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print only the response JSON on stdout; logs go to stderr.")]
    public bool Json { get; init; }

    [CommandOption("--graph-url <URL>")]
    [Description("Send to this Graph server instead of the built-in sandbox.")]
    public string? GraphUrl { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("Access token for --graph-url (else FB_APP_TOKEN / FB_SECRET_ARN from the environment).")]
    public string? Token { get; init; }

    [CommandOption("--phone-number-id <ID>")]
    [Description("WhatsApp phone number id for --graph-url (else FB_BUSINESS_PHONE_ID).")]
    public string? PhoneNumberId { get; init; }

    [CommandOption("--data <FILE>")]
    [Description("The campaign's Data for an Amazon Connect action (stands in for Parameter Store).")]
    public string? DataFile { get; init; }

    [CommandOption("--verbose")]
    [Description("Also print the function's JSON log lines on stderr.")]
    public bool Verbose { get; init; }
}
