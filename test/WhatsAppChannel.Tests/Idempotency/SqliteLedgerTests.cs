using Microsoft.Data.Sqlite;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Tests.Idempotency;

/// <summary>The SQLite ledger: the shared contract with each instance on its own connection to one file (as two
/// processes would be: SQLite locks the file the same way between connections of one process), then its own
/// promises: the file survives, is in WAL mode, and a file it cannot use fails closed.</summary>
public sealed class SqliteLedgerTests : SharedLedgerContractTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteLedger> _owned = [];

    private string LedgerFile => Path.Combine(_folder, "ledger.db");

    private protected override IIdempotencyLedger NewInstance() => Open(LedgerFile);

    private SqliteLedger Open(string path)
    {
        var ledger = new SqliteLedger(path, ClaimLifetime, RecordLifetime, Clock);
        _owned.Add(ledger);
        return ledger;
    }

    public void Dispose()
    {
        foreach (var ledger in _owned)
        {
            ledger.Dispose();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_completed_send_survives_closing_the_ledger()
    {
        using (var first = new SqliteLedger(LedgerFile, ClaimLifetime, RecordLifetime, Clock))
        {
            await first.TryClaimAsync("k", Ct);
            await first.CompleteAsync("k", new LedgerOutcome("wamid.kept"), Ct);
        }

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.kept"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task The_file_and_its_folder_are_created_in_wal_mode()
    {
        await NewInstance().TryClaimAsync("k", Ct);

        Assert.True(File.Exists(LedgerFile));
        using var connection = new SqliteConnection($"Data Source={LedgerFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task Records_past_their_lifetime_are_deleted_when_the_file_is_opened_again()
    {
        var first = NewInstance();
        await first.TryClaimAsync("old", Ct);
        await first.CompleteAsync("old", new LedgerOutcome("wamid.old"), Ct);
        Clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        await NewInstance().TryClaimAsync("new", Ct);

        Assert.Equal(["new"], StoredKeys());
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_closed()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(LedgerFile, "this is not a SQLite database, only text long enough to have a header", Ct);

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewInstance().TryClaimAsync("k", Ct));

        Assert.Contains(LedgerFile, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewInstance().CompleteAsync("k", new LedgerOutcome("wamid.x"), Ct));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_fails_closed()
    {
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", Ct);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => Open(Path.Combine(blocker, "ledger.db")).TryClaimAsync("k", Ct));
    }

    /// <summary>The engine gives recording 2 s (enough for a table); here another process's lock may take longer, and
    /// a record dropped is a message sent again by the next run. SQLite's busy timeout bounds the wait instead.</summary>
    [Fact]
    public async Task Recording_a_sent_message_is_not_cut_short_by_the_callers_limit()
    {
        var ledger = NewInstance();
        await ledger.TryClaimAsync("k", Ct);
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();

        await ledger.CompleteAsync("k", new LedgerOutcome("wamid.late"), expired.Token);

        Assert.Equal(new LedgerClaim(LedgerClaimStatus.AlreadySent, "wamid.late"), await NewInstance().TryClaimAsync("k", Ct));
    }

    [Fact]
    public async Task A_writer_holding_the_file_past_the_busy_timeout_is_reported_as_unavailable_not_as_a_claim()
    {
        await NewInstance().TryClaimAsync("warm-up", Ct);
        using var holder = new SqliteConnection($"Data Source={LedgerFile};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction(deferred: false);

        var error = await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewInstance().TryClaimAsync("k", Ct));

        Assert.Contains("locked", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Opt_outs_outlive_the_record_lifetime_and_the_file_holds_no_number_in_clear()
    {
        var webhook = NewStatusInstance();
        await webhook.SetOptOutAsync(NumberHash.Of("16505551234"), optedOut: true, Ct);
        await NewInstance().TryClaimAsync("k", Ct);
        await NewInstance().CompleteAsync("k", new LedgerOutcome("wamid.A") { CampaignId = "c", RecipientHash = NumberHash.Of("16505551234") }, Ct);
        await webhook.RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read, RecipientHash: NumberHash.Of("16505551234")), Ct);
        Clock.Advance(RecordLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal([NumberHash.Of("16505551234")], await NewStatusInstance().FindOptedOutAsync([NumberHash.Of("16505551234")], Ct));
        Assert.Empty(await NewStatusInstance().ReadFunnelsAsync(null, Ct));
        foreach (var ledger in _owned)
        {
            ledger.Dispose();
        }

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(LedgerFile, Ct);
        var wal = File.Exists(LedgerFile + "-wal") ? await File.ReadAllBytesAsync(LedgerFile + "-wal", Ct) : [];
        Assert.DoesNotContain("16505551234", System.Text.Encoding.ASCII.GetString([.. bytes, .. wal]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_closed_for_statuses_and_opt_outs()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(LedgerFile, "this is not a SQLite database, only text long enough to have a header", Ct);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewStatusInstance().RecordStatusAsync(new DeliveryStatusUpdate("wamid.A", DeliveryState.Read), Ct));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewStatusInstance().FindOptedOutAsync([NumberHash.Of("1")], Ct));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewStatusInstance().SetOptOutAsync(NumberHash.Of("1"), true, Ct));
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => NewStatusInstance().ReadFunnelsAsync(null, Ct));
    }

    private List<string> StoredKeys()
    {
        using var connection = new SqliteConnection($"Data Source={LedgerFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM ledger ORDER BY id";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
