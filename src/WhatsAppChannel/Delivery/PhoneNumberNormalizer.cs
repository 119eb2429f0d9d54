using PhoneNumbers;

namespace WhatsAppChannel.Delivery;

/// <summary>Normalises a Pinpoint address to the E.164 digits WhatsApp's <c>to</c> expects, with libphonenumber.</summary>
public sealed class PhoneNumberNormalizer(string? defaultRegion)
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

        // Pinpoint custom-channel addresses often carry the country code without '+'.
        var candidates = text.StartsWith('+')
            ? [(text, (string?)null)]
            : defaultRegion is null
                ? new[] { ("+" + text, (string?)null) }
                : [(text, defaultRegion), ("+" + text, null)];

        // A valid reading beats a merely possible one: "8613800138000" with region DE is a Chinese mobile, not a German number.
        var numbers = candidates.Select(c => TryParse(c.Item1, c.Item2)).OfType<PhoneNumber>().ToList();
        var number = numbers.Find(Util.IsValidNumber) ?? numbers.Find(Util.IsPossibleNumber);
        return number is null ? null : Util.Format(number, PhoneNumberFormat.E164)[1..];
    }

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
