namespace WhatsAppChannel.Sandbox;

/// <summary>The faults in force; replaced as a whole when changed at run time, so a request sees one consistent set.</summary>
internal sealed record FaultSettings(
    TimeSpan Latency,
    double ServerErrorRate,
    int? MessagesPerSecondCap,
    TimeSpan? PairRateWindow,
    IReadOnlyList<string> UndeliverableNumbers)
{
    public static FaultSettings From(SandboxOptions options) => new(
        options.Latency,
        options.ServerErrorRate,
        options.MessagesPerSecondCap,
        options.PairRateWindow,
        [.. options.UndeliverableNumbers]);

    public bool IsUndeliverable(string to) =>
        to.EndsWith(SandboxOptions.ReservedUndeliverableSuffix, StringComparison.Ordinal)
        || UndeliverableNumbers.Any(entry => entry.StartsWith('*')
            ? to.EndsWith(entry[1..], StringComparison.Ordinal)
            : string.Equals(to, entry.TrimStart('+'), StringComparison.Ordinal));

    /// <summary>Throws when a value is out of range; the message names the setting.</summary>
    public FaultSettings Validated()
    {
        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "Latency must not be negative.");
        }

        if (double.IsNaN(ServerErrorRate) || ServerErrorRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ServerErrorRate), ServerErrorRate, "ServerErrorRate must be between 0 and 1.");
        }

        if (MessagesPerSecondCap is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MessagesPerSecondCap), MessagesPerSecondCap, "MessagesPerSecondCap must be positive (or null for no cap).");
        }

        if (PairRateWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PairRateWindow), PairRateWindow, "PairRateWindow must not be negative (or null for off).");
        }

        return this;
    }

    public FaultSettingsView ToView() => new(
        Latency.TotalMilliseconds,
        ServerErrorRate,
        MessagesPerSecondCap,
        PairRateWindow?.TotalMilliseconds,
        UndeliverableNumbers,
        ["*" + SandboxOptions.ReservedUndeliverableSuffix]);
}
