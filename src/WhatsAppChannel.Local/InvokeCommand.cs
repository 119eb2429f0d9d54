using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Events;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Local;

/// <summary><c>invoke EVENT.json</c>: the real handler, in-process, against the sandbox or a given Graph server.</summary>
internal sealed class InvokeCommand : AsyncCommand<InvokeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, InvokeSettings settings, CancellationToken cancellationToken)
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

        var sandboxOptions = new SandboxOptions();
        await using var sandbox = settings.UsesSandbox
            ? await SandboxServer.StartAsync(sandboxOptions, cancellationToken)
            : null;

        FunctionConfiguration configuration;
        try
        {
            configuration = FunctionConfiguration.FromLookup(Overrides(settings, sandbox, sandboxOptions));
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        // The same ledger as campaign, webhook and report: a rerun of the same event sends nothing twice.
        using var ledger = LocalLedger.Open(configuration, settings.Ledger);
        ChannelFunction function;
        try
        {
            var log = settings.Json || settings.Verbose ? Console.Error : TextWriter.Null;
            function = ChannelFunction.Create(configuration, log, new ChannelFunctionOptions
            {
                Ledger = ledger,
                CampaignData = settings.DataFile is { } dataFile ? new DataFileSource(dataFile) : null,
                // The sandbox checks the signature's shape only: any key signs for it, so a fresh clone needs no AWS account.
                AwsCredentials = sandbox is not null && settings.IsAws ? new BasicAWSCredentials("AKIDSANDBOX", "sandbox") : null,
            });
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        await using var _ = function;

        // The sandbox's status webhooks come back to the real webhook handler and land in the same ledger (the Cloud API
        // sandbox only: End User Messaging Social reports statuses through SNS, which the sandbox does not play).
        await using var loop = sandbox is not null && !settings.IsAws
            ? await StatusLoop.StartAsync(sandbox, configuration, ledger, settings.Json || settings.Verbose ? Console.Error : TextWriter.Null, cancellationToken)
            : null;
        var invocation = new InvocationContext("local-" + Guid.NewGuid().ToString("N")[..12], DateTimeOffset.UtcNow + configuration.FunctionTimeout);

        Stream response;
        var collected = new ConcurrentDictionary<string, EndpointResult>(StringComparer.Ordinal);
        try
        {
            response = settings.Json
                ? await function.HandleAsync(new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true), invocation, cancellationToken)
                : await RunWithProgressAsync(function, payload, invocation with { Progress = new Collector(collected) }, CountEndpoints(payload), cancellationToken);
        }
        catch (ChannelException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.ErrorType}: {ex.Message}");
            return ExitCodes.UnusableInput;
        }

        if (settings.Json)
        {
            await using var stdout = Console.OpenStandardOutput();
            await response.CopyToAsync(stdout, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }
        else
        {
            ResultTable.Write(AnsiConsole.Console, InResponseOrder(response, collected), sandbox);
        }

        if (loop is not null && !settings.NoWait)
        {
            var complete = await loop.WaitAsync(StatusLoop.DefaultWait, cancellationToken);
            if (!settings.Json)
            {
                await StatusLoop.WriteOutcomeAsync(Console.Out, loop.Webhooks.Posted, complete);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>The environment, with the chosen transport and the sandbox's (or the command line's) server, credentials and
    /// sending number on top.</summary>
    private static Func<string, string?> Overrides(InvokeSettings settings, SandboxServer? sandbox, SandboxOptions options)
    {
        if (!settings.IsAws)
        {
            var graph = GraphOverrides.Lookup(settings.GraphUrl, settings.Token, settings.PhoneNumberId, sandbox, options);
            return name => name == "WHATSAPP_TRANSPORT" ? "meta" : graph(name);
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["WHATSAPP_TRANSPORT"] = "aws" };
        if (sandbox is not null)
        {
            values["AWS_ENDPOINT_URL_SOCIALMESSAGING"] = sandbox.BaseUrl.AbsoluteUri;
            values["AWS_EUMS_PHONE_NUMBER_ID"] = options.OriginationPhoneNumberId;
            values["AWS_REGION"] = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        }
        else
        {
            values["AWS_ENDPOINT_URL_SOCIALMESSAGING"] = settings.EndpointUrl;
        }

        return name => values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);
    }

    private static async Task<Stream> RunWithProgressAsync(ChannelFunction function, byte[] payload, InvocationContext invocation, int endpoints, CancellationToken cancellationToken)
    {
        Stream? response = null;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Sending", maxValue: Math.Max(1, endpoints));
                var reporting = invocation with { Progress = new ProgressCounter(task, invocation.Progress) };
                response = await function.HandleAsync(new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true), reporting, cancellationToken);
                task.Value = task.MaxValue;
            });
        return response!;
    }

    /// <summary>For the progress bar only; the handler does the real parsing (and reports a bad event).</summary>
    private static int CountEndpoints(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            if (root.TryGetProperty("Endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object)
            {
                return endpoints.EnumerateObject().Count();
            }

            // A Step Functions batch lists its items; an Amazon Connect action its profiles.
            var items = root.TryGetProperty("Items", out var value) ? value : default;
            if (items.ValueKind == JsonValueKind.Object && items.TryGetProperty("CustomerProfiles", out var profiles))
            {
                items = profiles;
            }

            return items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static async Task<byte[]> ReadStandardInputAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using var stdin = Console.OpenStandardInput();
        await stdin.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The results in the response's order (the order of the event), from the per-endpoint map or Connect's profile list.</summary>
    private static List<EndpointResult> InResponseOrder(Stream response, ConcurrentDictionary<string, EndpointResult> collected)
    {
        using var document = JsonDocument.Parse(response);
        var root = document.RootElement;
        var ids = root.TryGetProperty("Items", out var items) && items.ValueKind == JsonValueKind.Object
            ? items.GetProperty("CustomerProfiles").EnumerateArray().Select(profile => profile.GetProperty("Id").GetString()!)
            : root.EnumerateObject().Select(endpoint => endpoint.Name);
        return [.. ids.Select(id => collected[id])];
    }

    private sealed class Collector(ConcurrentDictionary<string, EndpointResult> results) : IProgress<EndpointResult>
    {
        public void Report(EndpointResult value) => results[value.EndpointId] = value;
    }

    private sealed class ProgressCounter(ProgressTask task, IProgress<EndpointResult>? inner) : IProgress<EndpointResult>
    {
        public void Report(EndpointResult value)
        {
            inner?.Report(value);
            task.Increment(1);
        }
    }
}
