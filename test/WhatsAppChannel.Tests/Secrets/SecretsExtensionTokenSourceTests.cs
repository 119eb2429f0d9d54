using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;
using static WhatsAppChannel.Tests.Secrets.SecretsTestData;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Tests.Secrets;

public sealed class SecretsExtensionTokenSourceTests
{
    private static FunctionConfiguration ExtensionConfiguration(LoopbackServer extension) => new()
    {
        PhoneNumberId = "1234567890",
        SecretArn = SecretArn,
        AppToken = "env-token-must-not-win",
        AwsRegion = "eu-west-1",
        SecretsExtensionPort = extension.Port,
        AwsSessionToken = SessionToken,
        // Proves the extension is preferred: nothing listens here.
        SecretsManagerEndpoint = new Uri($"http://127.0.0.1:{LoopbackServer.FreePort()}/"),
    };

    private static Task AnswerSecret(HttpContext context, string secretString)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { ARN = SecretArn, Name = "whatsapp/token", SecretString = secretString }));
    }

    [Fact]
    public async Task Reads_the_secret_through_the_extension_with_the_session_token()
    {
        var seen = new List<string>();
        await using var extension = await LoopbackServer.StartAsync(context =>
        {
            var request = context.Request;
            seen.Add($"{request.Method} {request.Path}");
            seen.Add($"raw-query={request.QueryString}");
            seen.Add($"secretId={request.Query["secretId"]}");
            seen.Add($"token={request.Headers["X-Aws-Parameters-Secrets-Token"]}");
            seen.Add($"authorization={request.Headers.Authorization}");
            return AnswerSecret(context, SecretString);
        });

        var token = await Create(ExtensionConfiguration(extension)).GetTokenAsync(CancellationToken.None);

        Assert.Equal(Token, token);
        Assert.Equal(
            [
                "GET /secretsmanager/get",
                "raw-query=?secretId=" + Uri.EscapeDataString(SecretArn),
                $"secretId={SecretArn}",
                $"token={SessionToken}",
                "authorization=",
            ],
            seen);
    }

    [Fact]
    public async Task A_rejected_session_token_is_reported_and_not_retried()
    {
        await using var extension = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 401;
            return context.Response.WriteAsync("Unauthorized: X-Aws-Parameters-Secrets-Token is invalid");
        });

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(ExtensionConfiguration(extension)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("Parameters and Secrets Lambda Extension answered HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains(SecretArn, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, extension.Requests);
    }

    [Fact]
    public async Task An_extension_that_is_not_ready_yet_is_retried()
    {
        var calls = 0;
        await using var extension = await LoopbackServer.StartAsync(context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 400;
                return context.Response.WriteAsync("not ready to serve traffic, please wait");
            }

            return AnswerSecret(context, SecretString);
        });

        Assert.Equal(Token, await Create(ExtensionConfiguration(extension)).GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, extension.Requests);
    }

    [Fact]
    public async Task A_Secrets_Manager_error_forwarded_by_the_extension_keeps_its_meaning()
    {
        await using var extension = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 400;
            return context.Response.WriteAsync("""{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}""");
        });

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(ExtensionConfiguration(extension)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_extension_without_a_session_token_is_a_configuration_error()
    {
        var configuration = new FunctionConfiguration { PhoneNumberId = "1", SecretArn = SecretArn, SecretsExtensionPort = 2773 };

        var error = Assert.Throws<ConfigurationException>(() => Create(configuration));

        Assert.Contains("AWS_SESSION_TOKEN", error.Message, StringComparison.Ordinal);
    }
}
