using WhatsAppChannel.Events;

namespace WhatsAppChannel.Hosting;

/// <summary>The business numbers this function may send from: <c>FB_BUSINESS_PHONE_ID</c> (the default) and those listed in
/// <c>WHATSAPP_PHONE_NUMBER_IDS</c>; with the aws transport <c>AWS_EUMS_PHONE_NUMBER_ID</c> and <c>AWS_EUMS_PHONE_NUMBER_IDS</c>.
/// Any other id is refused, so a campaign cannot send from a number nobody set up here.</summary>
/// <param name="listVariable">The variable that lists the other numbers, named when a pick is refused.</param>
internal sealed class SenderNumbers(string defaultId, IEnumerable<string> listed, string listVariable)
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

        // A number id is Meta's or AWS's object id, not personal data: name it. Anything else is not echoed into logs.
        throw new InvalidEventException(IsIdShaped(requested)
            ? $"phoneNumberId '{requested}' is not one of this function's numbers: list it in {listVariable}"
            : "phoneNumberId is not a phone number id (Meta's digits, or AWS's phone-number-id-... or its ARN)");
    }

    // Meta's numeric id, AWS's phone-number-id-<hex> or arn:aws:social-messaging:<region>:<account>:phone-number-id/<hex>.
    private static bool IsIdShaped(string id) =>
        id.Length is > 0 and <= 128
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '/')
        && (id.All(char.IsAsciiDigit) || id.StartsWith("phone-number-id-", StringComparison.Ordinal) || id.StartsWith("arn:", StringComparison.Ordinal));
}
