using System.ComponentModel;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class ReportSettings : CommandSettings
{
    [CommandOption("--campaign <ID>")]
    [Description("Only this campaign (or journey) id.")]
    public string? Campaign { get; init; }

    [CommandOption("--json")]
    [Description("Print {\"campaigns\":[...]} on stdout instead of the table.")]
    public bool Json { get; init; }

    [CommandOption("--ledger <FILE>")]
    [Description(LocalLedger.OptionDescription)]
    public string? Ledger { get; init; }
}
