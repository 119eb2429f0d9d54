namespace WhatsAppChannel.Webhook;

/// <summary>The reply words that stop (<c>WHATSAPP_OPT_OUT_KEYWORDS</c>) or restart (<c>WHATSAPP_OPT_IN_KEYWORDS</c>)
/// a recipient's WhatsApp messages: a reply counts when its trimmed text is one of them, case-insensitive.</summary>
internal sealed class ReplyKeywords(IEnumerable<string> optOut, IEnumerable<string> optIn)
{
    private readonly HashSet<string> _optOut = new(optOut.Select(k => k.Trim()), StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _optIn = new(optIn.Select(k => k.Trim()), StringComparer.OrdinalIgnoreCase);

    /// <summary>True to opt out, false to opt in, null when the texts hold neither keyword.</summary>
    public bool? Classify(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
        {
            var trimmed = text?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                continue;
            }

            if (_optOut.Contains(trimmed))
            {
                return true;
            }

            if (_optIn.Contains(trimmed))
            {
                return false;
            }
        }

        return null;
    }
}
