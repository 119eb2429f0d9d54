using WhatsAppChannel.Hosting;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Tests.Hosting;

public sealed class FunctionConfigurationTests
{
    private static FunctionConfiguration From(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value);
        return FunctionConfiguration.FromLookup(name => map.GetValueOrDefault(name));
    }

    private static string Fail(params (string Name, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => From(values)).Message;

    [Fact]
    public void Defaults_follow_the_design()
    {
        var config = From(("FB_BUSINESS_PHONE_ID", "123"), ("FB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x"));

        Assert.Equal(new Uri("https://graph.facebook.com"), config.ApiBaseUrl);
        Assert.Equal("v24.0", config.ApiVersion);
        Assert.Equal("en_US", config.DefaultLanguage);
        Assert.False(config.LanguageFromLocale);
        Assert.Null(config.DefaultRegion);
        Assert.Equal(50, config.SendConcurrency);
        Assert.Equal(80, config.SendRatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(300), config.TokenCacheLifetime);
        Assert.Equal(TimeSpan.FromSeconds(30), config.FunctionTimeout);
        Assert.Null(config.IdempotencyTable);
        Assert.Equal(TimeSpan.FromSeconds(120), config.IdempotencyClaimLifetime);
        Assert.Equal(TimeSpan.FromDays(7), config.IdempotencyRecordLifetime);
        Assert.Equal(LogLevel.Information, config.LogLevel);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var config = From(
            ("FB_BUSINESS_PHONE_ID", "123"), ("FB_APP_TOKEN", "t"), ("WHATSAPP_API_BASE_URL", "https://graph.example.com/"),
            ("WHATSAPP_API_VERSION", "v23.0"), ("WHATSAPP_DEFAULT_LANGUAGE", "pt-br"), ("WHATSAPP_LANGUAGE_FROM_LOCALE", "TRUE"),
            ("WHATSAPP_DEFAULT_REGION", "de"), ("SEND_CONCURRENCY", "4"), ("SEND_RATE_PER_SECOND", "20"), ("TOKEN_CACHE_SECONDS", "60"),
            ("FUNCTION_TIMEOUT_SECONDS", "90"), ("IDEMPOTENCY_TABLE", "ledger"), ("IDEMPOTENCY_CLAIM_SECONDS", "30"),
            ("IDEMPOTENCY_TTL_DAYS", "2"), ("LOG_LEVEL", "debug"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"), ("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773"));

        Assert.Equal("https://graph.example.com/", config.ApiBaseUrl.AbsoluteUri);
        Assert.Equal("v23.0", config.ApiVersion);
        Assert.Equal("pt_BR", config.DefaultLanguage);
        Assert.True(config.LanguageFromLocale);
        Assert.Equal("DE", config.DefaultRegion);
        Assert.Equal(4, config.SendConcurrency);
        Assert.Equal(20, config.SendRatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(60), config.TokenCacheLifetime);
        Assert.Equal(TimeSpan.FromSeconds(90), config.FunctionTimeout);
        Assert.Equal("ledger", config.IdempotencyTable);
        Assert.Equal(TimeSpan.FromSeconds(30), config.IdempotencyClaimLifetime);
        Assert.Equal(TimeSpan.FromDays(2), config.IdempotencyRecordLifetime);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), config.SecretsManagerEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:8000"), config.DynamoDbEndpoint);
        Assert.Equal(2773, config.SecretsExtensionPort);
    }

    [Theory]
    [InlineData("FB_BUSINESS_PHONE_ID", "")]
    [InlineData("FB_BUSINESS_PHONE_ID", "12a")]
    [InlineData("WHATSAPP_API_BASE_URL", "ftp://x")]
    [InlineData("WHATSAPP_API_BASE_URL", "not a url")]
    [InlineData("WHATSAPP_API_BASE_URL", "http://graph.facebook.com")]
    [InlineData("WHATSAPP_API_VERSION", "v1/../x")]
    [InlineData("WHATSAPP_LANGUAGE_FROM_LOCALE", "yes")]
    [InlineData("WHATSAPP_DEFAULT_LANGUAGE", "English")]
    [InlineData("WHATSAPP_DEFAULT_REGION", "Germany")]
    [InlineData("SEND_CONCURRENCY", "0")]
    [InlineData("SEND_CONCURRENCY", "many")]
    [InlineData("SEND_RATE_PER_SECOND", "-1")]
    [InlineData("TOKEN_CACHE_SECONDS", "1.5")]
    [InlineData("FUNCTION_TIMEOUT_SECONDS", "901")]
    [InlineData("IDEMPOTENCY_CLAIM_SECONDS", "0")]
    [InlineData("IDEMPOTENCY_TTL_DAYS", "x")]
    [InlineData("LOG_LEVEL", "Verbose")]
    [InlineData("LOG_LEVEL", "5")]
    [InlineData("AWS_ENDPOINT_URL_DYNAMODB", "localhost:8000")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "70000")]
    public void A_malformed_variable_fails_with_one_line_naming_it(string name, string value)
    {
        var values = new List<(string, string)> { ("FB_BUSINESS_PHONE_ID", "123"), ("FB_APP_TOKEN", "t") };
        values.RemoveAll(v => v.Item1 == name);
        values.Add((name, value));

        var message = name == "FB_BUSINESS_PHONE_ID" && value.Length == 0
            ? Fail(("FB_APP_TOKEN", "t"))
            : Fail([.. values]);

        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    /// <summary>Settings that parse but can only fail later, per message: each stops start-up instead.</summary>
    [Theory]
    [InlineData("WHATSAPP_API_BASE_URL", "https://graph.facebook.com/?access_token=x")]
    [InlineData("WHATSAPP_API_BASE_URL", "https://graph.facebook.com#top")]
    [InlineData("WHATSAPP_API_BASE_URL", "http://127.0.0.1:8080/?")]
    [InlineData("WHATSAPP_API_VERSION", "..")]
    [InlineData("WHATSAPP_API_VERSION", "24.0")]
    [InlineData("WHATSAPP_API_VERSION", "v24")]
    [InlineData("WHATSAPP_API_VERSION", "v24.")]
    [InlineData("WHATSAPP_API_VERSION", "v.0")]
    [InlineData("WHATSAPP_API_VERSION", "v24.0.1")]
    [InlineData("WHATSAPP_API_VERSION", "V24.0")]
    [InlineData("WHATSAPP_API_VERSION", "v2x.0")]
    [InlineData("WHATSAPP_API_VERSION", "v٢٤.0")]
    [InlineData("WHATSAPP_DEFAULT_REGION", "UK")]
    [InlineData("WHATSAPP_DEFAULT_REGION", "EU")]
    [InlineData("WHATSAPP_DEFAULT_REGION", "ZZ")]
    [InlineData("FB_APP_TOKEN", "EAAB\nxyz")]
    [InlineData("FB_APP_TOKEN", "EAAB xyz")]
    [InlineData("FB_APP_TOKEN", "\"EAABxyz\"x\u0001")]
    [InlineData("FB_APP_TOKEN", "EAABxyzé")]
    [InlineData("FB_APP_TOKEN", "EAAB\u200Bxyz")]
    public void A_setting_that_can_only_fail_stops_start_up_with_one_line_naming_it(string name, string value)
    {
        var values = new List<(string, string)> { ("FB_BUSINESS_PHONE_ID", "123"), ("FB_APP_TOKEN", "t") };
        values.RemoveAll(v => v.Item1 == name);
        values.Add((name, value));

        var message = Fail([.. values]);

        Assert.StartsWith(name, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        if (name == "FB_APP_TOKEN")
        {
            Assert.DoesNotContain("xyz", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_region_UK_is_refused_with_GB_suggested()
    {
        Assert.Contains("GB", Fail(("FB_BUSINESS_PHONE_ID", "1"), ("FB_APP_TOKEN", "t"), ("WHATSAPP_DEFAULT_REGION", "uk")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v24.0")]
    [InlineData("v9.10")]
    [InlineData("v26.0")]
    public void Graph_versions_of_the_form_v_major_minor_are_accepted(string version)
    {
        Assert.Equal(version, From(("FB_BUSINESS_PHONE_ID", "1"), ("FB_APP_TOKEN", "EAAB-x_y.z~/+="), ("WHATSAPP_API_VERSION", version)).ApiVersion);
    }

    [Fact]
    public void Without_any_token_source_start_up_fails_naming_FB_SECRET_ARN()
    {
        Assert.Contains("FB_SECRET_ARN", Fail(("FB_BUSINESS_PHONE_ID", "123")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    public void Plain_http_is_allowed_only_for_loopback(string url)
    {
        Assert.Equal("http", From(("FB_BUSINESS_PHONE_ID", "1"), ("FB_APP_TOKEN", "t"), ("WHATSAPP_API_BASE_URL", url)).ApiBaseUrl.Scheme);
    }

    [Fact]
    public void The_configuration_error_type_is_InvalidConfiguration()
    {
        Assert.Equal("InvalidConfiguration", Assert.Throws<ConfigurationException>(() => From()).ErrorType);
    }
}
