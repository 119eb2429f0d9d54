using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Planning;

/// <summary>An address as E.164 digits without '+', or the skip reason when there is no single such number.</summary>
internal readonly record struct NormalizedAddress(string? Digits, string? SkipReason)
{
    public static NormalizedAddress Invalid { get; } = new(null, SkipReasons.InvalidAddress);

    public static NormalizedAddress Ambiguous { get; } = new(null, SkipReasons.AmbiguousAddress);

    public static NormalizedAddress To(string digits) => new(digits, null);
}
