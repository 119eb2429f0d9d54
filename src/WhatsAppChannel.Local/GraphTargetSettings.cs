using System.ComponentModel;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

/// <summary>The options of every command that runs the handler: where the Graph API is, which ledger it records in, and how much it says.</summary>
internal abstract class GraphTargetSettings : CommandSettings
{
    [CommandOption("--graph-url <URL>")]
    [Description("Send to this Graph server instead of the built-in sandbox.")]
    public string? GraphUrl { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("Access token for --graph-url (else FB_APP_TOKEN / FB_SECRET_ARN from the environment).")]
    public string? Token { get; init; }

    [CommandOption("--phone-number-id <ID>")]
    [Description("WhatsApp phone number id for --graph-url (else FB_BUSINESS_PHONE_ID).")]
    public string? PhoneNumberId { get; init; }

    [CommandOption("--ledger <FILE>")]
    [Description(LocalLedger.OptionDescription)]
    public string? Ledger { get; init; }

    [CommandOption("--no-wait")]
    [Description("With the built-in sandbox: end right after the sends instead of waiting (about a second, at most 30 s) for their delivery statuses to reach the ledger.")]
    public bool NoWait { get; init; }

    [CommandOption("--verbose")]
    [Description("Also print the function's JSON log lines on stderr.")]
    public bool Verbose { get; init; }
}
