namespace WhatsAppChannel.Secrets;

/// <summary>What a Graph access token may consist of: it travels in an HTTP header, where a control or non-ASCII
/// character cannot go (and where a pasted line break or quote would only be refused later, per message).</summary>
internal static class AccessTokenText
{
    /// <summary>Completes "FB_APP_TOKEN ..." in error messages, without quoting the token.</summary>
    public const string Problem = "holds a space, control or non-ASCII character: set the token itself, without quotes or line breaks";

    public static bool IsWellFormed(string token) =>
        token.Length > 0 && token.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0;
}
