using Microsoft.Extensions.Time.Testing;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;
using static WhatsAppChannel.Tests.Secrets.SecretsTestData;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Tests.Secrets;

public sealed class AccessTokenCacheFactoryTests
{
    [Fact]
    public async Task Without_a_secret_the_FB_APP_TOKEN_from_the_environment_is_the_token()
    {
        var configuration = FunctionConfiguration.FromLookup(name => name switch
        {
            "FB_BUSINESS_PHONE_ID" => "1234567890",
            "FB_APP_TOKEN" => "env-token",
            _ => null,
        });

        var provider = AccessTokenCacheFactory.Create(configuration, TimeProvider.System);

        Assert.Equal("env-token", await provider.GetTokenAsync(CancellationToken.None));
        provider.Invalidate("env-token");
        Assert.Equal("env-token", await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public void Neither_a_secret_nor_a_token_is_a_configuration_error()
    {
        var error = Assert.Throws<ConfigurationException>(
            () => AccessTokenCacheFactory.Create(new FunctionConfiguration { PhoneNumberId = "1" }, TimeProvider.System));

        Assert.Contains("FB_SECRET_ARN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_name_without_AWS_REGION_is_a_configuration_error()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1", SecretArn = "whatsapp/token" };

        var error = Assert.Throws<ConfigurationException>(() => AccessTokenCacheFactory.Create(configuration, TimeProvider.System));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_lifetime_comes_from_the_configuration()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            Interlocked.Increment(ref calls);
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(
                context.Response, System.Text.Json.JsonSerializer.Serialize(new { SecretString }));
        });
        var clock = TestClock.Create();
        var provider = Create(SecretsManagerConfiguration(server) with { TokenCacheLifetime = TimeSpan.FromSeconds(60) }, clock);

        await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(59));
        await provider.GetTokenAsync(CancellationToken.None);
        Assert.Equal(1, calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Token, await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, calls);
    }
}
