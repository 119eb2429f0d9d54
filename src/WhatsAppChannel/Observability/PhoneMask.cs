using System.Text.RegularExpressions;

namespace WhatsAppChannel.Observability;

/// <summary>Personal data stays out of logs: an address shows only its last 4 characters.</summary>
internal static partial class PhoneMask
{
    public static string Mask(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return string.Empty;
        }

        var trimmed = address.Trim();
        return trimmed.Length <= 4 ? new string('*', trimmed.Length) : string.Concat("******", trimmed.AsSpan(trimmed.Length - 4));
    }

    /// <summary>Masks every phone-number-like run of digits in free text (Meta's error messages may quote the recipient).</summary>
    public static string MaskNumbersIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PhoneNumberLike().Replace(text, match =>
        {
            var digits = match.ValueSpan;
            Span<char> lastFour = stackalloc char[4];
            var found = 0;
            for (var i = digits.Length - 1; i >= 0 && found < 4; i--)
            {
                if (char.IsAsciiDigit(digits[i]))
                {
                    lastFour[3 - found++] = digits[i];
                }
            }

            return string.Concat("******", lastFour);
        });
    }

    /// <summary>Seven or more digits, possibly written with spaces, dashes, dots or brackets: longer than any Meta error code.</summary>
    [GeneratedRegex(@"\+?\d(?:[\s\-.()]{0,2}\d){6,}", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumberLike();
}
