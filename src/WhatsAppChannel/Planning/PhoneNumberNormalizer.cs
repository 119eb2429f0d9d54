using PhoneNumbers;

namespace WhatsAppChannel.Planning;

/// <summary>Normalizes a Pinpoint address to the E.164 digits WhatsApp's <c>to</c> expects, with libphonenumber.
/// A number is never guessed: where two readings lead to different numbers, the endpoint is skipped.</summary>
internal sealed class PhoneNumberNormalizer(string? defaultRegion)
{
    /// <summary>Fifteen digits (E.164's most) with generous room for separators; anything longer is no number.</summary>
    private const int MaxAddressLength = 64;

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
        if (text.Length > MaxAddressLength)
        {
            return NormalizedAddress.Invalid;
        }

        var marked = text.StartsWith('+');
        if (!marked && text.StartsWith("00", StringComparison.Ordinal))
        {
            marked = true;
            text = text[2..];
        }
        else if (marked)
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

        var asInternational = Read(string.Concat("+", digits[..count]), null);

        // '+' or '00' says the country code is there; without a region there is no other reading.
        if (marked || defaultRegion is null)
        {
            return asInternational is null ? NormalizedAddress.Invalid : NormalizedAddress.To(E164Digits(asInternational));
        }

        // Pinpoint stores numbers with their country code but often without '+': the region reading is one of
        // two, and decides only where the international one is not a valid number. Two valid (or two merely
        // possible) readings of different numbers are two people: skip rather than guess.
        var asNational = Read(digits[..count].ToString(), defaultRegion);
        if (asInternational is null || asNational is null)
        {
            return (asInternational ?? asNational) is { } only ? NormalizedAddress.To(E164Digits(only)) : NormalizedAddress.Invalid;
        }

        var international = E164Digits(asInternational);
        var national = E164Digits(asNational);
        return (international == national, Util.IsValidNumber(asInternational), Util.IsValidNumber(asNational)) switch
        {
            (true, _, _) or (false, true, false) => NormalizedAddress.To(international),
            (false, false, true) => NormalizedAddress.To(national),
            _ => NormalizedAddress.Ambiguous,
        };
    }

    /// <summary>Whether normalized E.164 digits are a United States number: +1 with a US area code (Canada and the
    /// Caribbean share +1 and are not).</summary>
    public static bool IsUnitedStates(string e164Digits) =>
        e164Digits.StartsWith('1') && Read("+" + e164Digits, null) is { } number && Util.GetRegionCodeForNumber(number) == "US";

    /// <summary>The number <paramref name="text"/> reads as, when it is a possible one.</summary>
    private static PhoneNumber? Read(string text, string? region)
    {
        try
        {
            var number = Util.Parse(text, region ?? "ZZ");
            return Util.IsPossibleNumber(number) ? number : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static string E164Digits(PhoneNumber number) => Util.Format(number, PhoneNumberFormat.E164)[1..];
}
