using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.IntegrationTests.Security;

/// <summary>The token goes to the configured Graph host and nowhere else, and never into logs, responses or errors.</summary>
public sealed class TokenContainmentTests
{
    private const string Token = "EAAG-secret-token-value-1234567890";

    private static async Task<(WebApplication App, Uri Url)> StartServerAsync(string host, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    private static string Event(params string[] addresses) =>
        """{"Data":""" + JsonSerializer.Serialize("""{"templateName":"t","params":[{"type":"body","parameters":[{"type":"text","text":"x"}]}]}""") +
        ""","Endpoints":{""" + string.Join(",", addresses.Select((a, i) => $"\"e{i}\":{{\"Address\":\"{a}\"}}")) + "}}";

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed_so_the_token_stays_with_the_graph_host()
    {
        var elsewhereRequests = 0;
        string? elsewhereAuthorization = null;
        var (elsewhere, elsewhereUrl) = await StartServerAsync("127.0.0.2", context =>
        {
            Interlocked.Increment(ref elsewhereRequests);
            elsewhereAuthorization = context.Request.Headers.Authorization;
            return context.Response.WriteAsync("""{"messages":[{"id":"wamid.stolen"}]}""");
        });
        var graphAuthorizations = new List<string?>();
        var (graph, graphUrl) = await StartServerAsync("127.0.0.1", context =>
        {
            lock (graphAuthorizations)
            {
                graphAuthorizations.Add(context.Request.Headers.Authorization);
            }

            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = new Uri(elsewhereUrl, context.Request.Path).AbsoluteUri;
            return Task.CompletedTask;
        });
        await using var _ = graph;
        await using var __ = elsewhere;
        var log = new StringWriter();
        var environment = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = "123",
            ["FB_APP_TOKEN"] = Token,
            ["WHATSAPP_API_BASE_URL"] = graphUrl.AbsoluteUri,
        };
        await using var function = ChannelFunction.Create(FunctionConfiguration.FromLookup(environment.GetValueOrDefault), log);

        var response = await function.HandleAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(Event("+14155550150"))),
            new InvocationContext("redirect", DateTimeOffset.UtcNow.AddSeconds(10)),
            CancellationToken.None);
        var text = await new StreamReader(response).ReadToEndAsync();

        Assert.Equal(0, elsewhereRequests);
        Assert.Null(elsewhereAuthorization);
        Assert.Equal("Bearer " + Token, Assert.Single(graphAuthorizations));
        using var document = JsonDocument.Parse(text);
        var attributes = document.RootElement.GetProperty("e0").GetProperty("EventAttributes");
        Assert.Equal("failed", attributes.GetProperty("whatsapp_status").GetString());
        Assert.Equal("307", attributes.GetProperty("whatsapp_error_code").GetString());
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://graph.facebook.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://graph.example.com")]
    public void A_non_loopback_http_graph_url_is_refused_at_start_up(string url)
    {
        var environment = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = "123",
            ["FB_APP_TOKEN"] = Token,
            ["WHATSAPP_API_BASE_URL"] = url,
        };

        var error = Assert.Throws<ConfigurationException>(() => FunctionConfiguration.FromLookup(environment.GetValueOrDefault));

        Assert.Contains("WHATSAPP_API_BASE_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_secrets_manager_is_down_the_invocation_fails_with_TokenUnavailable_and_a_clean_message()
    {
        var environment = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = "123",
            ["FB_SECRET_ARN"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-AbCdEf",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:" + ClosedPort(),
        };
        var configuration = FunctionConfiguration.FromLookup(environment.GetValueOrDefault);
        var tokens = AccessTokenCacheFactory.Create(configuration, TimeProvider.System, new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), null);
        var log = new StringWriter();
        await using var function = ChannelFunction.Create(configuration, log, new ChannelFunctionOptions { AccessTokens = tokens });

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(() => function.HandleAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(Event("+14155550151"))),
            new InvocationContext("sm-down", DateTimeOffset.UtcNow.AddSeconds(20)),
            CancellationToken.None));

        Assert.Equal("TokenUnavailable", error.ErrorType);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("Secrets Manager", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4155550151", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("TokenUnavailable", log.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
