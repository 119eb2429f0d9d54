using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Tests.Templates;

public sealed class PreflightConfigurationTests
{
    private static FunctionConfiguration From(params (string Name, string Value)[] values)
    {
        var map = new Dictionary<string, string> { ["FB_BUSINESS_PHONE_ID"] = "123", ["FB_APP_TOKEN"] = "t" };
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return FunctionConfiguration.FromLookup(map.GetValueOrDefault);
    }

    [Fact]
    public void Preflight_is_off_without_an_account_id_and_caches_ten_minutes_by_default()
    {
        var configuration = From();
        Assert.Null(configuration.BusinessAccountId);
        Assert.Equal(TimeSpan.FromSeconds(600), configuration.TemplateCacheLifetime);
    }

    [Fact]
    public void Account_id_and_cache_lifetime_are_read()
    {
        var configuration = From(("WHATSAPP_BUSINESS_ACCOUNT_ID", " 102290129340398 "), ("TEMPLATE_CACHE_SECONDS", "30"));
        Assert.Equal("102290129340398", configuration.BusinessAccountId);
        Assert.Equal(TimeSpan.FromSeconds(30), configuration.TemplateCacheLifetime);
    }

    [Theory]
    [InlineData("WHATSAPP_BUSINESS_ACCOUNT_ID", "waba-1")]
    [InlineData("TEMPLATE_CACHE_SECONDS", "-1")]
    [InlineData("TEMPLATE_CACHE_SECONDS", "ten")]
    public void A_malformed_value_fails_with_one_line_naming_it(string name, string value)
    {
        var message = Assert.Throws<ConfigurationException>(() => From((name, value))).Message;
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
