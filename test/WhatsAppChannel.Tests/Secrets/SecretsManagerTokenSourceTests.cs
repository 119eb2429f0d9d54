using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Secrets;
using static WhatsAppChannel.Tests.Secrets.SecretsTestData;

namespace WhatsAppChannel.Tests.Secrets;

public sealed class SecretsManagerTokenSourceTests
{
    private static Task Answer(HttpContext context, int status, object body, string? errorTypeHeader = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        if (errorTypeHeader is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = errorTypeHeader;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static Task AnswerSecret(HttpContext context, string secretString) =>
        Answer(context, 200, new { ARN = SecretArn, Name = "whatsapp/token", SecretString = secretString, VersionStages = new[] { "AWSCURRENT" } });

    private static Task AnswerError(HttpContext context, int status, string type, string message) =>
        Answer(context, status, new Dictionary<string, string> { ["__type"] = type, ["message"] = message });

    [Fact]
    public async Task Sends_a_signed_GetSecretValue_call_and_reads_FB_APP_TOKEN()
    {
        var seen = new List<string>();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
            seen.Add($"{request.Method} {request.Path}");
            seen.Add($"target={request.Headers["X-Amz-Target"]}");
            seen.Add($"type={request.ContentType}");
            seen.Add($"SecretId={body["SecretId"]}");
            seen.Add($"security-token={request.Headers["X-Amz-Security-Token"]}");
            var authorization = request.Headers.Authorization.ToString();
            seen.Add(Regex.Replace(authorization[..authorization.IndexOf(", ", StringComparison.Ordinal)], "/[0-9]{8}/", "/<date>/"));
            Assert.Contains("x-amz-target", authorization, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(request.Headers["X-Amz-Date"]));
            await AnswerSecret(context, SecretString);
        });

        var token = await Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None);

        Assert.Equal(Token, token);
        Assert.Equal(
            [
                "POST /",
                "target=secretsmanager.GetSecretValue",
                "type=application/x-amz-json-1.1",
                $"SecretId={SecretArn}",
                $"security-token={SessionToken}",
                "AWS4-HMAC-SHA256 Credential=AKIDTESTEXAMPLE/<date>/eu-west-1/secretsmanager/aws4_request",
            ],
            seen);
    }

    [Fact]
    public async Task Without_AWS_REGION_the_region_comes_from_the_ARN()
    {
        string? authorization = null;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            authorization = context.Request.Headers.Authorization;
            return AnswerSecret(context, SecretString);
        });

        var configuration = SecretsManagerConfiguration(server) with { AwsRegion = null };
        Assert.Equal(Token, await Create(configuration).GetTokenAsync(CancellationToken.None));
        Assert.Contains("/eu-west-1/secretsmanager/aws4_request", authorization, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", "was not found")]
    [InlineData("AccessDeniedException", "User is not authorized to perform: secretsmanager:GetSecretValue", "needs secretsmanager:GetSecretValue")]
    [InlineData("DecryptionFailure", "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", "kms:Decrypt")]
    [InlineData("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.", "scheduled for deletion")]
    [InlineData("InvalidParameterException", "Invalid name. Must be a valid name containing alphanumeric characters", "check FB_SECRET_ARN")]
    [InlineData("UnrecognizedClientException", "The security token included in the request is invalid.", "rejected the function's credentials")]
    [InlineData("InvalidSignatureException", "The request signature we calculated does not match", "rejected the function's credentials")]
    [InlineData("ExpiredTokenException", "The security token included in the request is expired", "rejected the function's credentials")]
    public async Task Each_error_type_becomes_one_clear_message_without_retrying(string type, string awsMessage, string expected)
    {
        var status = type is "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" ? 403 : 400;
        await using var server = await LoopbackServer.StartAsync(context => AnswerError(context, status, type, awsMessage));

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(SecretArn, error.Message, StringComparison.Ordinal);
        if (expected == "rejected the function's credentials")
        {
            // AWS's text for signature errors echoes the canonical request, session token included: never passed on.
            Assert.DoesNotContain(awsMessage, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(awsMessage, error.Message, StringComparison.Ordinal);
        }
        Assert.Equal("TokenUnavailable", error.ErrorType);
        Assert.Equal(1, server.Requests);
    }

    [Theory]
    [InlineData("com.amazonaws.secretsmanager#ResourceNotFoundException", null)]
    [InlineData(null, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/")]
    public async Task The_error_type_is_read_from_a_namespaced_type_or_the_error_type_header(string? bodyType, string? header)
    {
        await using var server = await LoopbackServer.StartAsync(context => Answer(
            context, 400, bodyType is null ? new { message = "not found" } : new Dictionary<string, string> { ["__type"] = bodyType }, header));

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("was not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "ThrottlingException")]
    [InlineData(500, "InternalServiceError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task Throttling_and_server_errors_are_retried_until_success(int status, string type)
    {
        await using var flaky = await FlakyServer(status, type, failures: 2);

        var token = await Create(SecretsManagerConfiguration(flaky)).GetTokenAsync(CancellationToken.None);

        Assert.Equal(Token, token);
        Assert.Equal(3, flaky.Requests);
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_after_a_few_attempts_with_a_clear_message()
    {
        await using var server = await FlakyServer(400, "ThrottlingException", failures: int.MaxValue);

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("throttled GetSecretValue", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gave up after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_persistent_5xx_without_an_error_type_names_the_status()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            return context.Response.WriteAsync("Bad Gateway");
        });

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gave up after 3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_names_the_endpoint()
    {
        var port = LoopbackServer.FreePort();
        var configuration = new FunctionConfiguration
        {
            PhoneNumberId = "1234567890",
            SecretArn = SecretArn,
            AwsRegion = "eu-west-1",
            SecretsManagerEndpoint = new Uri($"http://127.0.0.1:{port}/"),
        };

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(configuration).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.StartsWith($"Could not reach Secrets Manager at http://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gave up after 3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all EAAG-secret", "is not JSON")]
    [InlineData("[\"EAAG-secret\"]", "is not a JSON object")]
    [InlineData("{\"token\": \"EAAG-secret\"}", "has no FB_APP_TOKEN key")]
    [InlineData("{\"FB_APP_TOKEN\": \"\"}", "empty or non-string FB_APP_TOKEN")]
    [InlineData("{\"FB_APP_TOKEN\": 42}", "empty or non-string FB_APP_TOKEN")]
    [InlineData("{\"FB_APP_TOKEN\": \"EAAG-secret\\nEAAG-secret\"}", "FB_APP_TOKEN holds a space, control or non-ASCII character")]
    [InlineData("{\"FB_APP_TOKEN\": \"EAAG-s\\u00e9cret\"}", "FB_APP_TOKEN holds a space, control or non-ASCII character")]
    [InlineData("{\"FB_APP_TOKEN\": \"EAAG-secret EAAG-secret\"}", "FB_APP_TOKEN holds a space, control or non-ASCII character")]
    public async Task A_secret_without_a_usable_FB_APP_TOKEN_is_reported_without_its_content(string secretString, string expected)
    {
        await using var server = await LoopbackServer.StartAsync(context => AnswerSecret(context, secretString));

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(SecretArn, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EAAG-secret", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_binary_secret_is_reported()
    {
        await using var server = await LoopbackServer.StartAsync(context => Answer(context, 200, new { ARN = SecretArn, SecretBinary = "AAEC" }));

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("holds SecretBinary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_response_does_not_echo_the_body()
    {
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{\"SecretString\": \"EAAG-secret"));

        var error = await Assert.ThrowsAsync<TokenUnavailableException>(
            () => Create(SecretsManagerConfiguration(server)).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("unreadable GetSecretValue response", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EAAG-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_Invalidate_a_rotated_secret_is_read_again()
    {
        var current = "first-token";
        await using var server = await LoopbackServer.StartAsync(context => AnswerSecret(context, $$"""{"FB_APP_TOKEN": "{{current}}"}"""));
        var provider = Create(SecretsManagerConfiguration(server));
        Assert.Equal("first-token", await provider.GetTokenAsync(CancellationToken.None));

        current = "rotated-token";
        Assert.Equal("first-token", await provider.GetTokenAsync(CancellationToken.None));
        provider.Invalidate("first-token");

        Assert.Equal("rotated-token", await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, server.Requests);
    }

    private static Task<LoopbackServer> FlakyServer(int status, string type, int failures)
    {
        var calls = 0;
        return LoopbackServer.StartAsync(context => Interlocked.Increment(ref calls) <= failures
            ? AnswerError(context, status, type, "Rate exceeded")
            : AnswerSecret(context, SecretString));
    }
}
