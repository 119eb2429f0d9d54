namespace WhatsAppChannel.Observability;

/// <summary>Personal data stays out of logs: an address shows only its last 4 characters.</summary>
public static class PhoneMask
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
}
