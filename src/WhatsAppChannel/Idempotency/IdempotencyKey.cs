using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger key of one endpoint send (DESIGN section 6).</summary>
public static class IdempotencyKey
{
    // Bumping the version starts a fresh key space if the encoding ever has to change.
    private static readonly byte[] Domain = "whatsapp-channel/idempotency/v1\n"u8.ToArray();

    /// <summary>Lowercase hex SHA-256 of the fields. Every field is length-prefixed and null differs
    /// from empty, so no two different field lists share an encoding.</summary>
    public static string Compute(
        string? applicationId,
        string? campaignOrJourneyId,
        string? treatmentId,
        string? activityId,
        string? scheduledTime,
        string endpointId,
        string data)
    {
        ArgumentNullException.ThrowIfNull(endpointId);
        ArgumentNullException.ThrowIfNull(data);

        var buffer = new ArrayBufferWriter<byte>(256 + (data.Length * 3));
        buffer.Write(Domain);
        Append(buffer, applicationId);
        Append(buffer, campaignOrJourneyId);
        Append(buffer, treatmentId);
        Append(buffer, activityId);
        Append(buffer, scheduledTime);
        Append(buffer, endpointId);
        Append(buffer, data);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return ToLowerHex(hash);
    }

    // Convert.ToHexStringLower needs .NET 9; the function also targets net8.0.
    private static string ToLowerHex(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string? field)
    {
        if (field is null)
        {
            buffer.Write("-;"u8);
            return;
        }

        // "<byte length>:<utf-8 bytes>;" — the prefix makes the boundaries unambiguous.
        var length = Encoding.UTF8.GetByteCount(field);
        var prefix = length.ToString(CultureInfo.InvariantCulture) + ":";
        Encoding.UTF8.GetBytes(prefix, buffer);
        Encoding.UTF8.GetBytes(field, buffer);
        buffer.Write(";"u8);
    }
}
