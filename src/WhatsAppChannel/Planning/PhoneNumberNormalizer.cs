using PhoneNumbers;

namespace WhatsAppChannel.Planning;

/// <summary>Normalizes a Pinpoint address to the E.164 digits WhatsApp's <c>to</c> expects, with libphonenumber.</summary>
internal sealed class PhoneNumberNormalizer(string? defaultRegion)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The digits without '+', or null when the address is not a possible phone number.</summary>
    public string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var text = address.Trim();
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }

        if (text.StartsWith('+'))
        {
            return TryNormalize(text, null);
        }

        // Pinpoint custom-channel addresses often carry the country code without '+'.
        return defaultRegion is null
            ? TryNormalize("+" + text, null)
            : TryNormalize(text, defaultRegion) ?? TryNormalize("+" + text, null);
    }

    private static string? TryNormalize(string text, string? region) =>
        TryParse(text, region) is { } number && Util.IsPossibleNumber(number)
            ? Util.Format(number, PhoneNumberFormat.E164)[1..]
            : null;

    private static PhoneNumber? TryParse(string text, string? region)
    {
        try
        {
            return Util.Parse(text, region ?? "ZZ");
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
