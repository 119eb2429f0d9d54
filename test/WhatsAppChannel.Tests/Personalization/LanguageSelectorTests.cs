using WhatsAppChannel.Personalization;

namespace WhatsAppChannel.Tests.Personalization;

public sealed class LanguageSelectorTests
{
    [Theory]
    [InlineData("en-US", "en_US")]
    [InlineData("en_US", "en_US")]
    [InlineData("pt_br", "pt_BR")]
    [InlineData("pt-BR", "pt_BR")]
    [InlineData("es", "es")]
    [InlineData("ES", "es")]
    [InlineData("zh-Hans-CN", "zh_CN")]
    [InlineData("fil-PH", "fil_PH")]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData("123", null)]
    [InlineData("english", null)]
    [InlineData(null, null)]
    public void Locales_map_to_WhatsApp_codes(string? locale, string? expected)
    {
        Assert.Equal(expected, LanguageSelector.ToWhatsAppCode(locale));
    }

    [Fact]
    public void Data_language_wins_over_everything()
    {
        Assert.Equal("de", new LanguageSelector("en_US", useEndpointLocale: true).Select("de", "pt_BR"));
    }

    [Fact]
    public void The_locale_is_used_only_when_enabled()
    {
        Assert.Equal("pt_BR", new LanguageSelector("en_US", useEndpointLocale: true).Select(null, "pt-BR"));
        Assert.Equal("en_US", new LanguageSelector("en_US", useEndpointLocale: false).Select(null, "pt-BR"));
    }

    [Fact]
    public void An_unusable_locale_falls_back_to_the_default()
    {
        Assert.Equal("fr", new LanguageSelector("fr", useEndpointLocale: true).Select(null, "??"));
        Assert.Equal("fr", new LanguageSelector("fr", useEndpointLocale: true).Select(null, null));
    }
}
