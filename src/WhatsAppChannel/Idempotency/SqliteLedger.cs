using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger of one machine: a SQLite file that survives the process, so an interrupted local campaign
/// resumes without sending twice. Several processes may share the file: WAL lets readers run beside the writer,
/// every claim is one <c>BEGIN IMMEDIATE</c> transaction (the write lock is taken before the row is read), and a
/// busy timeout makes the other processes wait for the lock instead of failing.</summary>
internal sealed class SqliteLedger : IIdempotencyLedger, IDisposable
{
    private const string StatusClaimed = "claimed";
    private const string StatusCompleted = "completed";

    /// <summary>How long a call waits for another process's write lock before the ledger counts as unavailable.</summary>
    private const int BusyTimeoutMilliseconds = 10_000;

    private readonly string _path;
    private readonly TimeSpan _claimLifetime;
    private readonly TimeSpan _recordLifetime;
    private readonly TimeProvider _timeProvider;

    // One connection, one call at a time: within the process the gate queues writers without
    // spinning in SQLite's busy handler; across processes the file lock does.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    // Claims this instance holds, with the token written into the row, so a release removes
    // only our own claim and never one another process took over.
    private readonly ConcurrentDictionary<string, string> _heldClaims = new(StringComparer.Ordinal);

    public SqliteLedger(string path, TimeSpan claimLifetime, TimeSpan recordLifetime, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(claimLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(recordLifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _path = Path.GetFullPath(path);
        _claimLifetime = claimLifetime;
        _recordLifetime = recordLifetime;
        _timeProvider = timeProvider;
    }

    public Task<LedgerClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync("claim", connection =>
        {
            var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var token = Guid.NewGuid().ToString("N");
            using var transaction = connection.BeginTransaction(deferred: false);

            // Takes the key if it is free: no row, a row past its lifetime, or an abandoned claim.
            using var claim = Command(connection, transaction, """
                INSERT INTO ledger (id, status, claim_token, claim_expires_at, expires_at, message_id)
                VALUES ($id, 'claimed', $token, $claimExpiresAt, $expiresAt, NULL)
                ON CONFLICT (id) DO UPDATE SET
                    status = 'claimed', claim_token = excluded.claim_token, claim_expires_at = excluded.claim_expires_at,
                    expires_at = excluded.expires_at, message_id = NULL
                WHERE ledger.expires_at <= $now OR (ledger.status = 'claimed' AND ledger.claim_expires_at <= $now)
                """);
            claim.Parameters.AddWithValue("$id", key);
            claim.Parameters.AddWithValue("$token", token);
            claim.Parameters.AddWithValue("$claimExpiresAt", now + (long)_claimLifetime.TotalMilliseconds);
            claim.Parameters.AddWithValue("$expiresAt", now + (long)_recordLifetime.TotalMilliseconds);
            claim.Parameters.AddWithValue("$now", now);
            if (claim.ExecuteNonQuery() == 1)
            {
                transaction.Commit();
                _heldClaims[key] = token;
                return LedgerClaim.Claimed;
            }

            using var read = Command(connection, transaction, "SELECT status, message_id FROM ledger WHERE id = $id");
            read.Parameters.AddWithValue("$id", key);
            using var row = read.ExecuteReader();
            var result = row.Read() && row.GetString(0) == StatusCompleted
                ? new LedgerClaim(LedgerClaimStatus.AlreadySent, row.IsDBNull(1) ? null : row.GetString(1))
                : new LedgerClaim(LedgerClaimStatus.InProgress);
            row.Close();
            transaction.Commit();
            return result;
        }, cancellationToken);
    }

    public Task CompleteAsync(string key, LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(outcome);
        return RunAsync("complete", connection =>
        {
            var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

            // Unconditional: the message went out, so the key is done even if our claim was taken over meanwhile.
            using var complete = Command(connection, null, """
                INSERT INTO ledger (id, status, claim_token, claim_expires_at, expires_at, message_id)
                VALUES ($id, 'completed', NULL, NULL, $expiresAt, $messageId)
                ON CONFLICT (id) DO UPDATE SET
                    status = 'completed', claim_token = NULL, claim_expires_at = NULL,
                    expires_at = excluded.expires_at, message_id = excluded.message_id
                """);
            complete.Parameters.AddWithValue("$id", key);
            complete.Parameters.AddWithValue("$expiresAt", now + (long)_recordLifetime.TotalMilliseconds);
            complete.Parameters.AddWithValue("$messageId", outcome.MessageId);
            complete.ExecuteNonQuery();
            _heldClaims.TryRemove(key, out _);
            return true;
        }, cancellationToken);
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_heldClaims.TryRemove(key, out var token))
        {
            return Task.CompletedTask; // not ours to give back
        }

        return RunAsync("release", connection =>
        {
            using var release = Command(connection, null, "DELETE FROM ledger WHERE id = $id AND status = 'claimed' AND claim_token = $token");
            release.Parameters.AddWithValue("$id", key);
            release.Parameters.AddWithValue("$token", token);
            release.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _gate.Dispose();
    }

    private async Task<T> RunAsync<T>(string operation, Func<SqliteConnection, T> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return call(_connection ??= Open());
        }
        catch (SqliteException e)
        {
            throw new LedgerUnavailableException($"SQLite ledger {operation} on '{_path}' failed: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerUnavailableException($"SQLite ledger {operation} on '{_path}' failed: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens the file (creating it and its folder), switches it to WAL and drops records past their lifetime,
    /// which DynamoDB's TTL would have deleted.</summary>
    private SqliteConnection Open()
    {
        if (Path.GetDirectoryName(_path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString());
        try
        {
            connection.Open();

            // NORMAL with WAL: a commit survives a crash of the process (the case that matters here); only a power
            // loss may undo the last commits, and then a message may go out twice rather than be lost.
            using var setup = Command(connection, null, $"""
                PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS ledger (
                    id TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    claim_token TEXT,
                    claim_expires_at INTEGER,
                    expires_at INTEGER NOT NULL,
                    message_id TEXT);
                DELETE FROM ledger WHERE expires_at <= $now;
                """);
            setup.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }
}
