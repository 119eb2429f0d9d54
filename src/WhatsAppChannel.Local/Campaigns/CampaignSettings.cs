using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local.Campaigns;

internal sealed class CampaignSettings : GraphTargetSettings
{
    [CommandArgument(0, "<AUDIENCE>")]
    [Description("Recipients: a CSV with a header row, or JSON Lines (.jsonl). Address or phone is the number; EndpointId, OptOut, EndpointStatus and Locale are endpoint fields; every other column becomes User.UserAttributes.<column>.")]
    public string Audience { get; init; } = string.Empty;

    [CommandOption("--data <FILE>")]
    [Description("The campaign's Data: a JSON file with templateName, language and params, as in a Pinpoint event.")]
    public string? Data { get; init; }

    [CommandOption("--campaign-id <ID>")]
    [Description("Names the campaign in the ledger: rerunning with the same id sends only what was not sent.")]
    public string? CampaignId { get; init; }

    [CommandOption("--results <FILE>")]
    [Description("Results CSV, one row per audience row (default: .whatsapp-channel/<campaign-id>.results.csv).")]
    public string? Results { get; init; }

    [CommandOption("--parallel <BATCHES>")]
    [Description("Batches of 50 in flight at once (default 8); SEND_RATE_PER_SECOND still caps the total rate.")]
    public int Parallel { get; init; } = 8;

    [CommandOption("--json")]
    [Description("Print only the summary as JSON on stdout; progress lines go to stderr.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data is required")
        : string.IsNullOrWhiteSpace(CampaignId) ? ValidationResult.Error("--campaign-id is required")
        : CampaignId.Length > 64 || !CampaignId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? ValidationResult.Error("--campaign-id must be 1 to 64 letters, digits, '-', '_' or '.'")
        : Parallel is < 1 or > 64 ? ValidationResult.Error("--parallel must be from 1 to 64")
        : ValidationResult.Success();
}
