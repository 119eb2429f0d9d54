using System.Security.Cryptography;
using System.Text;

namespace WhatsAppChannel.Idempotency;

/// <summary>A phone number as the ledger keeps it: lowercase hex SHA-256 of its E.164 digits (no '+'), never in clear.</summary>
internal static class NumberHash
{
    public static string Of(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(digits.TrimStart('+')), hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }
}
