namespace WhatsAppChannel.Tests.Secrets;

/// <summary>A clock the test moves by hand; timers (Polly's delays) stay real.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
