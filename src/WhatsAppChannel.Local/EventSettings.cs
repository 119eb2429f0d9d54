using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class EventSettings : CommandSettings
{
    [CommandOption("--to <NUMBERS>")]
    [Description("Comma-separated phone numbers.")]
    public string? To { get; init; }

    [CommandOption("--csv <FILE>")]
    [Description("CSV with a header row: the first column is the phone number, the others become User.UserAttributes.<header>.")]
    public string? Csv { get; init; }

    [CommandOption("--template <NAME>")]
    [Description("WhatsApp template name.")]
    public string Template { get; init; } = string.Empty;

    [CommandOption("--param <TEXT>")]
    [Description("A body text parameter, in order (repeatable; placeholders such as {{User.UserAttributes.FirstName|there}} allowed).")]
    public string[] Params { get; init; } = [];

    [CommandOption("--language <CODE>")]
    [Description("Template language (e.g. en_US); left out, the function decides.")]
    public string? Language { get; init; }

    [CommandOption("-o|--output <FILE>")]
    [Description("Output file (default: stdout). More than 50 endpoints: FILE-001.json, FILE-002.json, ...")]
    public string? Output { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Template) ? ValidationResult.Error("--template is required")
        : (To is null) == (Csv is null) ? ValidationResult.Error("give exactly one of --to and --csv")
        : ValidationResult.Success();
}
