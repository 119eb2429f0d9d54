using System.Globalization;
using Microsoft.Data.Sqlite;
using WhatsAppChannel.IntegrationTests.Replay;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Campaigns;

/// <summary>A campaign's files in a temporary folder (audience, Data, ledger, results) and the harness runs on them,
/// sending to a sandbox this test owns, so the test counts what WhatsApp accepted.</summary>
internal sealed class CampaignFolder : IDisposable
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private static readonly SandboxOptions SandboxAccess = new();

    public CampaignFolder() => Path = Directory.CreateTempSubdirectory("campaign-").FullName;

    public string Path { get; }
    public string Ledger => File("ledger.db");
    public string Results => File("results.csv");
    public string Data => File("data.json");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>An audience CSV of <paramref name="rows"/> distinct US numbers, returned as digits in file order.</summary>
    public List<string> WriteAudience(int rows, string name = "audience.csv")
    {
        var numbers = Enumerable.Range(0, rows).Select(i => (14155551000L + i).ToString(CultureInfo.InvariantCulture)).ToList();
        System.IO.File.WriteAllLines(File(name), ["Address,FirstName", .. numbers.Select((n, i) => $"+{n},Name{i}")]);
        System.IO.File.WriteAllText(Data, """{"templateName":"cart_reminder","language":"en_US","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":"a hat"}]}]}""");
        return numbers;
    }

    public HarnessProcess Start(SandboxServer sandbox, string audience, IReadOnlyDictionary<string, string>? environment = null, params string[] extra) =>
        HarnessProcess.StartCommand(
            [
                "campaign", audience, "--data", Data, "--campaign-id", "test-campaign", "--ledger", Ledger, "--results", Results,
                "--graph-url", sandbox.BaseUrl.AbsoluteUri, "--token", SandboxAccess.AccessToken, "--phone-number-id", SandboxAccess.PhoneNumberId,
                .. extra,
            ],
            environment ?? new Dictionary<string, string>());

    public async Task<HarnessRun> RunAsync(SandboxServer sandbox, string audience, IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
    {
        using var process = Start(sandbox, audience, environment, extra);
        return await process.WaitAsync(RunTimeout);
    }

    /// <summary>The results file's rows by their documented columns.</summary>
    public List<ResultRow> ReadResults() => ReadResults(Results);

    public static List<ResultRow> ReadResults(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Equal("Line,EndpointId,Number,Status,MessageId,Reason,Attempts", reader.ReadLine());
        var rows = new List<ResultRow>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            Assert.True(fields.Length == 7, $"not 7 fields: {line}");
            rows.Add(new ResultRow(long.Parse(fields[0], CultureInfo.InvariantCulture), fields[1], fields[2], fields[3], fields[4], fields[5], int.Parse(fields[6], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>The message ids the SQLite ledger recorded as sent, read from the file with SQL as any tool would.</summary>
    public HashSet<string> CompletedMessageIds()
    {
        using var connection = new SqliteConnection($"Data Source={Ledger};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id FROM ledger WHERE status = 'completed'";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal sealed record ResultRow(long Line, string EndpointId, string Number, string Status, string MessageId, string Reason, int Attempts);
