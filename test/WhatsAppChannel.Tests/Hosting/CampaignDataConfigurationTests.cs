using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Tests.Hosting;

public sealed class CampaignDataConfigurationTests
{
    private static FunctionConfiguration Read(params (string Name, string Value)[] extra)
    {
        var values = new Dictionary<string, string> { ["FB_BUSINESS_PHONE_ID"] = "1234567890", ["FB_APP_TOKEN"] = "token" };
        foreach (var (name, value) in extra)
        {
            values[name] = value;
        }

        return FunctionConfiguration.FromLookup(values.GetValueOrDefault);
    }

    [Fact]
    public void The_prefix_the_endpoint_and_the_cache_lifetime_are_read()
    {
        var configuration = Read(
            ("CONNECT_DATA_PARAMETER_PREFIX", "/whatsapp/campaigns/"),
            ("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4583"),
            ("CONNECT_DATA_CACHE_SECONDS", "60"));

        Assert.Equal("/whatsapp/campaigns", configuration.ConnectDataParameterPrefix);
        Assert.Equal(new Uri("http://127.0.0.1:4583"), configuration.SsmEndpoint);
        Assert.Equal(TimeSpan.FromMinutes(1), configuration.ConnectDataCacheLifetime);
    }

    [Theory]
    [InlineData("whatsapp/campaigns")]
    [InlineData("/whatsapp campaigns")]
    [InlineData("/")]
    public void A_prefix_that_is_not_a_parameter_path_fails_at_start_up_naming_the_variable(string prefix)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(("CONNECT_DATA_PARAMETER_PREFIX", prefix)));

        Assert.StartsWith("CONNECT_DATA_PARAMETER_PREFIX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_prefix_there_is_no_Parameter_Store_source()
    {
        Assert.Null(CampaignDataSourceFactory.Create(Read(), TimeProvider.System));
    }

    [Fact]
    public void A_prefix_without_a_region_fails_at_start_up()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            CampaignDataSourceFactory.Create(Read(("CONNECT_DATA_PARAMETER_PREFIX", "/whatsapp/campaigns")), TimeProvider.System));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }
}
