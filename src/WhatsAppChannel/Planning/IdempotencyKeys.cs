using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WhatsAppChannel.Planning;

/// <summary>The idempotency keys of one event's endpoints: the event's fields (Data can be kilobytes) are encoded
/// once, and each endpoint hashes only its id in between. Not thread-safe: one per planning pass.</summary>
internal sealed class IdempotencyKeys : IDisposable
{
    // Bumping the version starts a fresh key space if the encoding ever has to change.
    private static readonly byte[] Domain = "whatsapp-channel/idempotency/v1\n"u8.ToArray();

    private readonly byte[] _prefix;
    private readonly byte[] _suffix;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public IdempotencyKeys(string? applicationId, string? campaignOrJourneyId, string? treatmentId, string? activityId, string? scheduledTime, string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var prefix = new ArrayBufferWriter<byte>(256);
        prefix.Write(Domain);
        Append(prefix, applicationId);
        Append(prefix, campaignOrJourneyId);
        Append(prefix, treatmentId);
        Append(prefix, activityId);
        Append(prefix, scheduledTime);
        _prefix = prefix.WrittenSpan.ToArray();

        var suffix = new ArrayBufferWriter<byte>(16 + (data.Length * 3));
        Append(suffix, data);
        _suffix = suffix.WrittenSpan.ToArray();
    }

    public string For(string endpointId)
    {
        ArgumentNullException.ThrowIfNull(endpointId);
        var endpoint = new ArrayBufferWriter<byte>(32 + (endpointId.Length * 3));
        Append(endpoint, endpointId);
        _hash.AppendData(_prefix);
        _hash.AppendData(endpoint.WrittenSpan);
        _hash.AppendData(_suffix);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetHashAndReset(hash);
        return ToLowerHex(hash);
    }

    /// <summary>The key of an item whose sender gives its own idempotency token (Amazon Connect): the token alone decides,
    /// hashed into the same form as the other keys. The marker after the domain keeps it apart from every <see cref="For"/> key.</summary>
    public static string ForToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var buffer = new ArrayBufferWriter<byte>(64 + (token.Length * 3));
        buffer.Write(Domain);
        buffer.Write("token;"u8);
        Append(buffer, token);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return ToLowerHex(hash);
    }

    public void Dispose() => _hash.Dispose();

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
