using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace WhatsAppChannel.Local;

internal sealed class SandboxSettings : CommandSettings
{
    [CommandOption("--port <PORT>")]
    [Description("Port on 127.0.0.1 (default: a free one).")]
    public int Port { get; init; }

    [CommandOption("--templates <FILE>")]
    [Description("Template registry JSON (default: samples/templates.json).")]
    public string? Templates { get; init; }

    [CommandOption("--latency <MS>")]
    [Description("Delay every answer by this many milliseconds.")]
    public int LatencyMilliseconds { get; init; }

    [CommandOption("--fault-rate <P>")]
    [Description("Share of requests answered with HTTP 5xx, 0 to 1.")]
    public double FaultRate { get; init; }

    [CommandOption("--rate-cap <N>")]
    [Description("Answer 130429 above N accepted messages per second.")]
    public int? RateCap { get; init; }

    [CommandOption("--no-pair-limit")]
    [Description("Do not answer 131056 for a second message to the same number within 6 s.")]
    public bool NoPairLimit { get; init; }

    [CommandOption("--undeliverable <NUMBER>")]
    [Description("Answer 131026 for this number (repeatable; numbers ending in 99999 always are).")]
    public string[] Undeliverable { get; init; } = [];

    [CommandOption("--webhook-url <URL>")]
    [Description("Post signed status webhooks (sent, delivered, read; 131049/131026 for numbers ending 1049/1026) for accepted messages to this URL.")]
    public string? WebhookUrl { get; init; }

    [CommandOption("--app-secret <SECRET>")]
    [Description("App secret the status webhooks are signed with (the webhook's FB_APP_SECRET).")]
    public string? AppSecret { get; init; }

    public override ValidationResult Validate() =>
        WebhookUrl is not null && !(Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            ? ValidationResult.Error("--webhook-url must be an http(s) URL")
        : WebhookUrl is not null && string.IsNullOrEmpty(AppSecret) ? ValidationResult.Error("--webhook-url needs --app-secret")
        :
        FaultRate is < 0 or > 1 ? ValidationResult.Error("--fault-rate must be between 0 and 1")
        : LatencyMilliseconds < 0 ? ValidationResult.Error("--latency must not be negative")
        : Port is < 0 or > 65535 ? ValidationResult.Error("--port must be from 0 to 65535")
        : RateCap is < 1 ? ValidationResult.Error("--rate-cap must be at least 1")
        : ValidationResult.Success();
}
