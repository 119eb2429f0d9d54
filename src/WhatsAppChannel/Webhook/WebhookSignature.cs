using System.Security.Cryptography;
using System.Text;

namespace WhatsAppChannel.Webhook;

/// <summary>Meta's <c>x-hub-signature-256</c>: <c>sha256=</c> + hex HMAC-SHA256 of the raw body bytes, keyed with the app secret.</summary>
internal static class WebhookSignature
{
    public const string HeaderName = "x-hub-signature-256";
    private const string Prefix = "sha256=";

    /// <summary>True only for a well-formed header carrying the body's HMAC; compared in constant time.</summary>
    public static bool IsValid(string? header, ReadOnlySpan<byte> body, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = header.AsSpan(Prefix.Length).Trim();
        if (hex.Length != 2 * HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
