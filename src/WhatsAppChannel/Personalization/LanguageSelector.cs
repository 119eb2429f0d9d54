namespace WhatsAppChannel.Personalization;

/// <summary>Chooses the template language: <c>Data.language</c>, else the endpoint's locale (when enabled), else the default.</summary>
internal sealed class LanguageSelector(string defaultLanguage, bool useEndpointLocale)
{
    /// <summary>Whether <see cref="Select"/> looks at the endpoint's locale at all, so callers read it only then.</summary>
    public bool UsesEndpointLocale => useEndpointLocale;

    public string Select(string? dataLanguage, string? endpointLocale)
    {
        if (dataLanguage is not null)
        {
            return dataLanguage;
        }

        return useEndpointLocale && ToWhatsAppCode(endpointLocale) is { } fromLocale ? fromLocale : defaultLanguage;
    }

    /// <summary>Maps a locale (<c>en-US</c>, <c>pt_br</c>, <c>es</c>, <c>zh-Hans-CN</c>) to WhatsApp's form
    /// (<c>en_US</c>, <c>pt_BR</c>, <c>es</c>, <c>zh_CN</c>); null when it is not a locale.</summary>
    public static string? ToWhatsAppCode(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var parts = locale.Trim().Split('-', '_');
        var language = parts[0];
        if (language.Length is < 2 or > 3 || !language.All(char.IsAsciiLetter))
        {
            return null;
        }

        language = language.ToLowerInvariant();
        var region = parts.Skip(1).LastOrDefault(p => p.Length == 2 && p.All(char.IsAsciiLetter));
        return region is null ? language : language + "_" + region.ToUpperInvariant();
    }
}
