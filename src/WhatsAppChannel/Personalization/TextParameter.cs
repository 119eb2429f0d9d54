namespace WhatsAppChannel.Personalization;

/// <summary>What WhatsApp accepts as the text of a <c>{"type": "text"}</c> template parameter: it refuses
/// line breaks, tabs and more than four consecutive spaces (error 132018), so such a text is never sent.</summary>
internal static class TextParameter
{
    public static bool IsSendable(string text) =>
        text.AsSpan().IndexOfAny('\n', '\r', '\t') < 0 && !text.Contains("     ", StringComparison.Ordinal);
}
