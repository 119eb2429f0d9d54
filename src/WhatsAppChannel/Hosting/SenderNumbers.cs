using WhatsAppChannel.Events;

namespace WhatsAppChannel.Hosting;

/// <summary>The business numbers this function may send from: <c>FB_BUSINESS_PHONE_ID</c> (the default) and those listed in
/// <c>WHATSAPP_PHONE_NUMBER_IDS</c>. Any other id is refused, so a campaign cannot send from a number nobody set up here.</summary>
internal sealed class SenderNumbers(string defaultId, IEnumerable<string> listed)
{
    private readonly HashSet<string> _allowed = new(listed.Append(defaultId), StringComparer.Ordinal);

    /// <exception cref="InvalidEventException"><paramref name="requested"/> is not one of the function's numbers.</exception>
    public string Resolve(string? requested)
    {
        if (requested is null)
        {
            return defaultId;
        }

        if (_allowed.Contains(requested))
        {
            return requested;
        }

        // A number id is Meta's object id, not personal data: name it. Anything else is not echoed into logs.
        throw new InvalidEventException(requested.Length <= 32 && requested.All(char.IsAsciiDigit)
            ? $"phoneNumberId '{requested}' is not one of this function's numbers: list it in WHATSAPP_PHONE_NUMBER_IDS"
            : "phoneNumberId is not a WhatsApp phone number id (digits only)");
    }
}
