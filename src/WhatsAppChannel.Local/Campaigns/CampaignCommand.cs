using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary><c>campaign AUDIENCE --data DATA --campaign-id ID</c>: streams the audience through the real handler in
/// batches of 50, with a ledger on disk so that running the same command again resumes instead of resending.</summary>
internal sealed class CampaignCommand : AsyncCommand<CampaignSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CampaignSettings settings, CancellationToken cancellationToken)
    {
        var campaignId = settings.CampaignId!;
        try
        {
            await File.OpenRead(settings.Audience).DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await FailAsync(ExitCodes.Failure, $"error: cannot read {settings.Audience}: {ex.Message}");
        }

        string data;
        try
        {
            data = await ReadDataAsync(settings.Data!, cancellationToken);
        }
        catch (IOException ex)
        {
            return await FailAsync(ExitCodes.Failure, $"error: cannot read {settings.Data}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return await FailAsync(ExitCodes.UnusableInput, $"error: {settings.Data} is not a JSON object: {ex.Message}");
        }

        var sandboxOptions = new SandboxOptions();
        await using var sandbox = settings.GraphUrl is null ? await SandboxServer.StartAsync(sandboxOptions, cancellationToken) : null;
        FunctionConfiguration configuration;
        try
        {
            configuration = FunctionConfiguration.FromLookup(GraphOverrides.Lookup(settings.GraphUrl, settings.Token, settings.PhoneNumberId, sandbox, sandboxOptions));
        }
        catch (ConfigurationException ex)
        {
            return await FailAsync(ExitCodes.UnusableInput, $"{ex.ErrorType}: {ex.Message}");
        }

        // A first pass checks the whole file (format, phone column, unique ids) and counts it before anything is sent.
        var normalizer = new PhoneNumberNormalizer(configuration.DefaultRegion);
        long rows;
        try
        {
            rows = await CountAsync(settings.Audience, new AudienceScreen(normalizer, settings.Audience), cancellationToken);
        }
        catch (AudienceException ex)
        {
            return await FailAsync(ExitCodes.UnusableInput, "error: " + ex.Message);
        }

        // Opt-outs the webhook recorded in this ledger are honored: those rows are skipped opted-out-whatsapp.
        using var ledger = LocalLedger.Open(configuration, settings.Ledger);
        var log = settings.Verbose ? Console.Error : TextWriter.Null;
        var function = ChannelFunction.Create(configuration, log, new ChannelFunctionOptions { Ledger = ledger });
        await using var _ = function;
        await using var loop = sandbox is not null ? await StatusLoop.StartAsync(sandbox, configuration, ledger, log, cancellationToken) : null;
        await using var results = await CreateResultsAsync(settings.Results ?? Path.Combine(LocalLedger.StateFolder, campaignId + ".results.csv"), cancellationToken);
        if (results is null)
        {
            return ExitCodes.Failure;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C lets the batches in flight finish and record their outcomes; a second one ends the process.
            e.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;

        var tally = new CampaignTally(rows);
        var run = new CampaignRun(function, new CampaignEventWriter(campaignId, data), results, tally, BatchTimeout(configuration, settings.Parallel), settings.Parallel);
        try
        {
            Task Send() => run.SendAsync(AudienceReader.ReadAsync(settings.Audience, cancellationToken), new AudienceScreen(normalizer, settings.Audience), stop.Token, cancellationToken);
            if (settings.Json)
            {
                await CampaignDisplay.RunPlainAsync(Console.Error, tally, Send);
            }
            else if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
            {
                await CampaignDisplay.RunLiveAsync(AnsiConsole.Console, tally, Send);
            }
            else
            {
                await CampaignDisplay.RunPlainAsync(Console.Out, tally, Send);
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            tally.Stop();
        }

        // The statuses of the last sends are still on their way from the sandbox: wait for them (briefly) so report shows them.
        if (loop is not null && !settings.NoWait && run.Fatal is null)
        {
            var complete = await loop.WaitAsync(StatusLoop.DefaultWait, cancellationToken);
            await StatusLoop.WriteOutcomeAsync(settings.Json ? Console.Error : Console.Out, loop.Webhooks.Posted, complete);
        }

        var summary = new CampaignSummary(campaignId, tally, results.Path, LocalLedger.Describe(configuration, settings.Ledger), stop.IsCancellationRequested && tally.Done < rows, run.Fatal?.Message);
        if (settings.Json)
        {
            await using var stdout = Console.OpenStandardOutput();
            summary.WriteJson(stdout);
        }
        else
        {
            summary.Write(AnsiConsole.Console);
        }

        if (run.Fatal is not null)
        {
            await Console.Error.WriteLineAsync(run.Fatal is ChannelException channel ? $"{channel.ErrorType}: {channel.Message}" : "error: " + run.Fatal.Message);
        }

        return run.Fatal is ChannelException or AudienceException ? ExitCodes.UnusableInput
            : run.Fatal is not null || summary.Interrupted ? ExitCodes.Failure
            : ExitCodes.Success;
    }

    /// <summary>A batch's deadline: the function's timeout, or longer when the batches in flight share a rate too
    /// low to send them all within it (no Lambda stops this process; a batch waiting its turn is not late).</summary>
    private static TimeSpan BatchTimeout(FunctionConfiguration configuration, int parallel)
    {
        var rate = Math.Min(configuration.SendRatePerSecond, configuration.ThroughputPerSecond);
        var needed = TimeSpan.FromSeconds(2.0 * CampaignEventWriter.MaxEndpointsPerEvent * parallel / rate + 5);
        return needed > configuration.FunctionTimeout ? needed : configuration.FunctionTimeout;
    }

    /// <summary>The Data as one compact JSON string: how the file is indented never changes the idempotency keys.</summary>
    private static async Task<string> ReadDataAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"found {document.RootElement.ValueKind}");
        }

        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<ResultsFile?> CreateResultsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ResultsFile.CreateAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: cannot write {path} (is another run of this campaign writing it?): {ex.Message}");
            return null;
        }
    }

    private static async Task<long> CountAsync(string path, AudienceScreen screen, CancellationToken cancellationToken)
    {
        long rows = 0;
        await foreach (var row in AudienceReader.ReadAsync(path, cancellationToken))
        {
            screen.Admit(row);
            rows++;
        }

        return rows;
    }

    private static async Task<int> FailAsync(int exitCode, string message)
    {
        await Console.Error.WriteLineAsync(message);
        return exitCode;
    }
}
