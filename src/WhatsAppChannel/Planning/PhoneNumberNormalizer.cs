using PhoneNumbers;

namespace WhatsAppChannel.Planning;

/// <summary>Normalizes a Pinpoint address to the E.164 digits WhatsApp's <c>to</c> expects, with libphonenumber.
/// A number is never guessed: where two readings lead to different numbers, the endpoint is skipped.</summary>
internal sealed class PhoneNumberNormalizer(string? defaultRegion)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Whether libphonenumber knows <paramref name="region"/> (upper-case ISO 3166 alpha-2) as a region.</summary>
    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region);

    public NormalizedAddress Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return NormalizedAddress.Invalid;
        }

        var text = address.Trim();
        var international = text.StartsWith('+');
        if (!international && text.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            text = text[2..];
        }
        else if (international)
        {
            text = text[1..];
        }

        // libphonenumber reads keypad letters as digits and "x"/"ext"/"#" as extensions: each would turn the
        // address into some other number, so only digits and the usual separators are accepted.
        Span<char> digits = stackalloc char[text.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return NormalizedAddress.Invalid;
            }
        }

        if (count == 0)
        {
            return NormalizedAddress.Invalid;
        }

        var asInternational = Read("+" + digits[..count].ToString(), null);
        if (international || defaultRegion is null)
        {
            return asInternational is { } number ? NormalizedAddress.To(number.Digits) : NormalizedAddress.Invalid;
        }

        // Pinpoint stores numbers with their country code but often without '+': the region reading is one of
        // two, and decides only where the international one is not a valid number. Two valid (or two merely
        // possible) readings of different numbers are two people: skip rather than guess.
        var asNational = Read(digits[..count].ToString(), defaultRegion);
        return (asInternational, asNational) switch
        {
            (null, null) => NormalizedAddress.Invalid,
            ({ } only, null) => NormalizedAddress.To(only.Digits),
            (null, { } only) => NormalizedAddress.To(only.Digits),
            ({ } one, { } other) when one.Digits == other.Digits => NormalizedAddress.To(one.Digits),
            ({ IsValid: true } valid, { IsValid: false }) => NormalizedAddress.To(valid.Digits),
            ({ IsValid: false }, { IsValid: true } valid) => NormalizedAddress.To(valid.Digits),
            _ => NormalizedAddress.Ambiguous,
        };
    }

    /// <summary>The possible number <paramref name="text"/> reads as, with whether it is also a valid one.</summary>
    private static Reading? Read(string text, string? region)
    {
        try
        {
            var number = Util.Parse(text, region ?? "ZZ");
            return Util.IsPossibleNumber(number)
                ? new Reading(Util.Format(number, PhoneNumberFormat.E164)[1..], Util.IsValidNumber(number))
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private sealed record Reading(string Digits, bool IsValid);
}
