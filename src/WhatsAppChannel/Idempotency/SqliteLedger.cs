using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger of one machine: a SQLite file that survives the process, so an interrupted local campaign
/// resumes without sending twice. Several processes may share the file: WAL lets readers run beside the writer,
/// every claim is one <c>BEGIN IMMEDIATE</c> transaction (the write lock is taken before the row is read), and a
/// busy timeout makes the other processes wait for the lock instead of failing.</summary>
/// <remarks>Three tables: <c>ledger</c> (one row per idempotency key), <c>messages</c> (one row per Meta message id: the
/// send's key, campaign, recipient hash, furthest delivery state as its rank, failure code) and <c>opt_outs</c> (one
/// row per <see cref="NumberHash"/>; never expires).</remarks>
internal sealed class SqliteLedger : IIdempotencyLedger, IDeliveryStatusLedger, IDisposable
{
    private const string StatusCompleted = "completed";

    // SQLite allows 32,766 parameters per statement; opt-out lookups go in chunks well below that.
    private const int MaxLookupParameters = 500;

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
    private int _disposed;

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

        // Not the caller's token: the message is out, and the caller's short limit (meant for a remote table) would
        // drop the record while another process holds the file's lock; SQLite's own busy timeout bounds the wait.
        return RunAsync("complete", connection =>
        {
            var expiresAt = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + (long)_recordLifetime.TotalMilliseconds;
            using var transaction = connection.BeginTransaction(deferred: false);

            // Unconditional: the message went out, so the key is done even if our claim was taken over meanwhile.
            using var complete = Command(connection, transaction, """
                INSERT INTO ledger (id, status, claim_token, claim_expires_at, expires_at, message_id)
                VALUES ($id, 'completed', NULL, NULL, $expiresAt, $messageId)
                ON CONFLICT (id) DO UPDATE SET
                    status = 'completed', claim_token = NULL, claim_expires_at = NULL,
                    expires_at = excluded.expires_at, message_id = excluded.message_id
                """);
            complete.Parameters.AddWithValue("$id", key);
            complete.Parameters.AddWithValue("$expiresAt", expiresAt);
            complete.Parameters.AddWithValue("$messageId", outcome.MessageId);
            complete.ExecuteNonQuery();

            // The message row the statuses find; a status that came first keeps its state.
            using var message = Command(connection, transaction, """
                INSERT INTO messages (message_id, send_key, campaign_id, recipient_hash, state, error_code, expires_at)
                VALUES ($messageId, $key, $campaignId, $recipientHash, $sent, NULL, $expiresAt)
                ON CONFLICT (message_id) DO UPDATE SET
                    send_key = excluded.send_key,
                    campaign_id = coalesce(excluded.campaign_id, messages.campaign_id),
                    recipient_hash = coalesce(excluded.recipient_hash, messages.recipient_hash),
                    expires_at = excluded.expires_at
                """);
            message.Parameters.AddWithValue("$messageId", outcome.MessageId);
            message.Parameters.AddWithValue("$key", key);
            message.Parameters.AddWithValue("$campaignId", (object?)outcome.CampaignId ?? DBNull.Value);
            message.Parameters.AddWithValue("$recipientHash", (object?)outcome.RecipientHash ?? DBNull.Value);
            message.Parameters.AddWithValue("$sent", (long)DeliveryState.Sent);
            message.Parameters.AddWithValue("$expiresAt", expiresAt);
            message.ExecuteNonQuery();
            transaction.Commit();
            _heldClaims.TryRemove(key, out _);
            return true;
        }, CancellationToken.None);
    }

    public Task<bool> RecordStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return RunAsync("status", connection =>
        {
            var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var expiresAt = now + (long)_recordLifetime.TotalMilliseconds;
            using var transaction = connection.BeginTransaction(deferred: false);
            using var read = Command(connection, transaction, "SELECT state FROM messages WHERE message_id = $messageId");
            read.Parameters.AddWithValue("$messageId", update.MessageId);
            var known = read.ExecuteScalar() is long rank ? rank : (long?)null;

            // Failed has the highest rank, so nothing moves a failed message; an equal rank is a duplicate.
            if (known >= (long)update.State)
            {
                transaction.Commit();
                return false;
            }

            using var write = Command(connection, transaction, """
                INSERT INTO messages (message_id, send_key, campaign_id, recipient_hash, state, error_code, expires_at)
                VALUES ($messageId, $key, $campaignId, $recipientHash, $state, $errorCode, $expiresAt)
                ON CONFLICT (message_id) DO UPDATE SET
                    state = excluded.state,
                    error_code = excluded.error_code,
                    send_key = coalesce(messages.send_key, excluded.send_key),
                    campaign_id = coalesce(messages.campaign_id, excluded.campaign_id),
                    recipient_hash = coalesce(messages.recipient_hash, excluded.recipient_hash)
                """);
            write.Parameters.AddWithValue("$messageId", update.MessageId);
            write.Parameters.AddWithValue("$key", (object?)update.IdempotencyKey ?? DBNull.Value);
            write.Parameters.AddWithValue("$campaignId", (object?)update.CampaignId ?? DBNull.Value);
            write.Parameters.AddWithValue("$recipientHash", (object?)update.RecipientHash ?? DBNull.Value);
            write.Parameters.AddWithValue("$state", (long)update.State);
            write.Parameters.AddWithValue("$errorCode", (object?)update.ErrorCode ?? DBNull.Value);
            write.Parameters.AddWithValue("$expiresAt", expiresAt);
            write.ExecuteNonQuery();

            // A send whose answer was lost keeps its claim; the first status naming its key proves it went out.
            if (known is null && update.IdempotencyKey is { } key)
            {
                using var resolve = Command(connection, transaction, """
                    UPDATE ledger SET status = 'completed', message_id = $messageId, claim_token = NULL, claim_expires_at = NULL,
                        expires_at = $expiresAt
                    WHERE id = $id AND status = 'claimed'
                    """);
                resolve.Parameters.AddWithValue("$id", key);
                resolve.Parameters.AddWithValue("$messageId", update.MessageId);
                resolve.Parameters.AddWithValue("$expiresAt", expiresAt);
                resolve.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }, cancellationToken);
    }

    public Task SetOptOutAsync(string numberHash, bool optedOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHash);
        return RunAsync("opt-out", connection =>
        {
            using var command = Command(connection, null, optedOut
                ? "INSERT INTO opt_outs (number_hash, opted_out_at) VALUES ($hash, $now) ON CONFLICT (number_hash) DO NOTHING"
                : "DELETE FROM opt_outs WHERE number_hash = $hash");
            command.Parameters.AddWithValue("$hash", numberHash);
            command.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToUnixTimeSeconds());
            command.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlySet<string>> FindOptedOutAsync(IReadOnlyCollection<string> numberHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numberHashes);
        return RunAsync<IReadOnlySet<string>>("opt-out lookup", connection =>
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in numberHashes.Distinct(StringComparer.Ordinal).Chunk(MaxLookupParameters))
            {
                using var command = Command(connection, null, string.Empty);
                var names = new string[chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    names[i] = "$h" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    command.Parameters.AddWithValue(names[i], chunk[i]);
                }

                command.CommandText = $"SELECT number_hash FROM opt_outs WHERE number_hash IN ({string.Join(',', names)})";
                using var rows = command.ExecuteReader();
                while (rows.Read())
                {
                    found.Add(rows.GetString(0));
                }
            }

            return found;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<CampaignFunnel>> ReadFunnelsAsync(string? campaignId, CancellationToken cancellationToken) =>
        RunAsync("report", connection =>
        {
            var optedOut = new HashSet<string>(StringComparer.Ordinal);
            using (var optOuts = Command(connection, null, "SELECT number_hash FROM opt_outs"))
            using (var rows = optOuts.ExecuteReader())
            {
                while (rows.Read())
                {
                    optedOut.Add(rows.GetString(0));
                }
            }

            var messages = new List<FunnelMessage>();
            using var read = Command(connection, null, """
                SELECT campaign_id, state, error_code, recipient_hash FROM messages
                WHERE campaign_id IS NOT NULL AND ($campaignId IS NULL OR campaign_id = $campaignId) AND expires_at > $now
                """);
            read.Parameters.AddWithValue("$campaignId", (object?)campaignId ?? DBNull.Value);
            read.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                if (Enum.IsDefined((DeliveryState)reader.GetInt64(1)))
                {
                    messages.Add(new FunnelMessage(
                        reader.GetString(0),
                        (DeliveryState)reader.GetInt64(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3)));
                }
            }

            return FunnelMessage.Count(messages, optedOut.Contains);
        }, cancellationToken);

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
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A call in progress (a status the harness's webhook is still recording) finishes first: closing the
        // connection under it would break that call, not end it.
        _gate.Wait();
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
    /// which DynamoDB's TTL would have deleted (opt-outs have none).</summary>
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
                CREATE TABLE IF NOT EXISTS messages (
                    message_id TEXT PRIMARY KEY NOT NULL,
                    send_key TEXT,
                    campaign_id TEXT,
                    recipient_hash TEXT,
                    state INTEGER NOT NULL,
                    error_code TEXT,
                    expires_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS opt_outs (
                    number_hash TEXT PRIMARY KEY NOT NULL,
                    opted_out_at INTEGER NOT NULL);
                DELETE FROM ledger WHERE expires_at <= $now;
                DELETE FROM messages WHERE expires_at <= $now;
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
