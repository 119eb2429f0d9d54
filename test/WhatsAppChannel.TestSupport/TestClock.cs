using Microsoft.Extensions.Time.Testing;

namespace WhatsAppChannel.TestSupport;

/// <summary>A clock the test moves by hand, starting at a fixed instant so expiry arithmetic reads the same in every run.</summary>
internal static class TestClock
{
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
}
