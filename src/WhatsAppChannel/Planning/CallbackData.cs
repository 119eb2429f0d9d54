namespace WhatsAppChannel.Planning;

/// <summary>What a send puts in <c>biz_opaque_callback_data</c>, which WhatsApp returns in every status webhook of the
/// message: the idempotency key (64 lowercase hex), then <c>:</c> and the campaign or journey id. The key finds a send
/// whose answer was lost; the campaign lets the report count it. The key format itself is unchanged.</summary>
internal static class CallbackData
{
    /// <summary>Meta's limit for the field.</summary>
    public const int MaxLength = 512;

    private const int KeyLength = 64;
    private const char Separator = ':';

    /// <summary>Writes the value into <paramref name="destination"/> (<see cref="MaxLength"/> characters) and returns
    /// its length: the key alone when there is no campaign id or it would not fit. Into a buffer, not a new string,
    /// because the planner writes one per endpoint.</summary>
    public static int FormatInto(Span<char> destination, string key, string? campaignId)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.CopyTo(destination);
        if (campaignId is not { Length: > 0 } || key.Length + 1 + campaignId.Length > MaxLength)
        {
            return key.Length;
        }

        destination[key.Length] = Separator;
        campaignId.CopyTo(destination[(key.Length + 1)..]);
        return key.Length + 1 + campaignId.Length;
    }

    /// <summary>The key and campaign id a send of ours put there; both null for anything else (other senders on the
    /// same account may put any text there). A key alone, as sends before the campaign was added wrote it, still reads.</summary>
    public static (string? Key, string? CampaignId) Parse(string? value)
    {
        if (value is null || value.Length < KeyLength || !IsKey(value.AsSpan(0, KeyLength)))
        {
            return (null, null);
        }

        if (value.Length == KeyLength)
        {
            return (value, null);
        }

        return value[KeyLength] == Separator && value.Length > KeyLength + 1
            ? (value[..KeyLength], value[(KeyLength + 1)..])
            : (null, null);
    }

    private static bool IsKey(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
