using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class InvokeSettings : GraphTargetSettings
{
    [CommandArgument(0, "<EVENT>")]
    [Description("Event JSON file: Pinpoint, a Step Functions batch or an Amazon Connect action ('-' reads standard input).")]
    public string EventFile { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print only the response JSON on stdout; logs go to stderr.")]
    public bool Json { get; init; }

    [CommandOption("--transport <TRANSPORT>")]
    [Description("meta (default): the sandbox's Cloud API; aws: the sandbox's End User Messaging Social API (SigV4-signed, no Meta token).")]
    public string Transport { get; init; } = "meta";

    [CommandOption("--data <FILE>")]
    [Description("The campaign's Data for an Amazon Connect action (stands in for Parameter Store).")]
    public string? DataFile { get; init; }

    [CommandOption("--endpoint-url <URL>")]
    [Description("With --transport aws: send to this End User Messaging Social endpoint instead of the sandbox (AWS credentials, AWS_REGION and AWS_EUMS_PHONE_NUMBER_ID from the environment).")]
    public string? EndpointUrl { get; init; }

    public bool IsAws => Transport.Equals("aws", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the built-in sandbox receives the messages.</summary>
    public bool UsesSandbox => GraphUrl is null && EndpointUrl is null;

    public override ValidationResult Validate() =>
        !IsAws && !Transport.Equals("meta", StringComparison.OrdinalIgnoreCase) ? ValidationResult.Error("--transport must be meta or aws")
        : IsAws && (GraphUrl ?? Token ?? PhoneNumberId) is not null ? ValidationResult.Error("--graph-url, --token and --phone-number-id are for --transport meta")
        : !IsAws && EndpointUrl is not null ? ValidationResult.Error("--endpoint-url is for --transport aws")
        : ValidationResult.Success();
}
