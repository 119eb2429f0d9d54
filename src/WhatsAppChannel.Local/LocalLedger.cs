using WhatsAppChannel.Hosting;
using WhatsAppChannel.Idempotency;

namespace WhatsAppChannel.Local;

/// <summary>The ledger every harness command shares on one machine: a SQLite file (default <c>.whatsapp-channel/ledger.db</c>
/// in the working directory), so what <c>invoke</c>, <c>campaign</c> and <c>webhook</c> record, <c>report</c> reads, and a
/// rerun sends nothing twice. With <c>IDEMPOTENCY_TABLE</c> set, the DynamoDB table is the ledger instead.</summary>
internal static class LocalLedger
{
    /// <summary>Where the harness keeps its state (the ledger, a campaign's default results file).</summary>
    public const string StateFolder = ".whatsapp-channel";

    public const string OptionDescription =
        "SQLite ledger file shared by invoke, campaign, webhook and report (default: .whatsapp-channel/ledger.db); ignored when IDEMPOTENCY_TABLE is set.";

    /// <summary>The full path of the ledger file <paramref name="option"/> names, else of the default one.</summary>
    public static string PathOf(string? option) => Path.GetFullPath(option ?? Path.Combine(StateFolder, "ledger.db"));

    /// <summary>The SQLite ledger, or null when <c>IDEMPOTENCY_TABLE</c> names the DynamoDB table (the function then opens it).</summary>
    public static SqliteLedger? Open(FunctionConfiguration configuration, string? option) =>
        configuration.IdempotencyTable is null
            ? new SqliteLedger(PathOf(option), configuration.IdempotencyClaimLifetime, configuration.IdempotencyRecordLifetime, TimeProvider.System)
            : null;

    /// <summary>Where the ledger is, for a summary line.</summary>
    public static string Describe(FunctionConfiguration configuration, string? option) =>
        configuration.IdempotencyTable is { } table ? "dynamodb:" + table : PathOf(option);
}
