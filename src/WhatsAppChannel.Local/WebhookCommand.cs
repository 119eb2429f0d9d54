using Spectre.Console.Cli;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Local;

/// <summary><c>webhook EVENT.json</c>: the real webhook handler, in-process, on one Function URL (or SNS) event; prints
/// the response object. Statuses and opt-outs go to the harness's ledger (the SQLite file, or the table of IDEMPOTENCY_TABLE),
/// so a STOP recorded here is honored by the next <c>invoke</c> or <c>campaign</c>.</summary>
internal sealed class WebhookCommand : AsyncCommand<WebhookSettings>
{
    /// <summary>The token the samples' verification request carries.</summary>
    private const string SampleVerifyToken = "sandbox-verify-token";

    public override async Task<int> ExecuteAsync(CommandContext context, WebhookSettings settings, CancellationToken cancellationToken)
    {
        byte[] payload;
        try
        {
            payload = settings.EventFile == "-"
                ? await ReadStandardInputAsync(cancellationToken)
                : await File.ReadAllBytesAsync(settings.EventFile, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: cannot read {settings.EventFile}: {ex.Message}");
            return ExitCodes.Failure;
        }

        FunctionConfiguration configuration;
        try
        {
            configuration = FunctionConfiguration.FromLookup(Overrides(settings));
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        using var ledger = LocalLedger.Open(configuration, settings.Ledger);
        await using var function = WebhookFunction.Create(configuration, Console.Error, new WebhookFunctionOptions { Ledger = ledger });
        await using var response = await function.HandleAsync(
            new MemoryStream(payload, writable: false), new InvocationContext("local-webhook", DateTimeOffset.UtcNow + configuration.FunctionTimeout), cancellationToken);
        await using var stdout = Console.OpenStandardOutput();
        await response.CopyToAsync(stdout, cancellationToken);
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        return ExitCodes.Success;
    }

    // The webhook reads the sender's configuration; the sandbox's number and token stand in when they are unset.
    private static Func<string, string?> Overrides(WebhookSettings settings)
    {
        var sandbox = new SandboxOptions();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FB_APP_SECRET"] = settings.AppSecret ?? Environment.GetEnvironmentVariable("FB_APP_SECRET") ?? sandbox.WebhookAppSecret,
            ["WHATSAPP_WEBHOOK_VERIFY_TOKEN"] = settings.VerifyToken ?? Environment.GetEnvironmentVariable("WHATSAPP_WEBHOOK_VERIFY_TOKEN") ?? SampleVerifyToken,
            ["FB_BUSINESS_PHONE_ID"] = Environment.GetEnvironmentVariable("FB_BUSINESS_PHONE_ID") ?? sandbox.PhoneNumberId,
            ["FB_APP_TOKEN"] = Environment.GetEnvironmentVariable("FB_APP_TOKEN") ?? sandbox.AccessToken,
        };
        if (settings.AppSecret is not null)
        {
            values["FB_SECRET_ARN"] = null; // The given secret, not the stored one.
        }

        return name => values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);
    }

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
