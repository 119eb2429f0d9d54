using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

/// <summary><c>POST /v1/whatsapp/send</c> as AWS End User Messaging Social documents it: SigV4 header, base64 message.</summary>
public sealed class SocialMessagingApiTests
{
    private const string WellFormedAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/social-messaging/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" +
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static async Task<(HttpStatusCode Status, string? ErrorType, JsonNode? Body)> SendAsync(
        SandboxServer server, JsonNode? message, string? authorization = WellFormedAuthorization, string? origination = null, string version = "v24.0")
    {
        var options = new SandboxOptions();
        var body = new JsonObject
        {
            ["originationPhoneNumberId"] = origination ?? options.OriginationPhoneNumberId,
            ["metaApiVersion"] = version,
            ["message"] = message is null ? "not base64!" : Convert.ToBase64String(Encoding.UTF8.GetBytes(message.ToJsonString())),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "/v1/whatsapp/send"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261201T050000Z");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.Single() : null;
        return (response.StatusCode, type, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_signed_template_message_is_accepted_and_rendered_like_a_cloud_api_one()
    {
        await using var server = await StartAsync();

        var (status, type, body) = await SendAsync(server, SeedRequest());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(type);
        var id = (string)body!["messageId"]!;
        var message = server.FindMessage(id);
        Assert.NotNull(message);
        Assert.Equal(SeedRecipient, message.To);
    }

    [Theory]
    [InlineData(null, "MissingAuthenticationTokenException")]
    [InlineData("Bearer sandbox-token", "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "InvalidSignatureException")]
    public async Task Without_a_well_formed_social_messaging_signature_the_send_is_refused(string? authorization, string expectedType)
    {
        await using var server = await StartAsync();

        var (status, type, body) = await SendAsync(server, SeedRequest(), authorization);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(expectedType, type);
        Assert.False(string.IsNullOrWhiteSpace((string?)body!["message"]));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task An_unknown_origination_number_is_not_found()
    {
        await using var server = await StartAsync();

        var (status, type, _) = await SendAsync(server, SeedRequest(), origination: "phone-number-id-00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ResourceNotFoundException", type);
    }

    [Theory]
    [InlineData(null, "v24.0")]
    [InlineData("{}", "24")]
    public async Task A_message_that_is_not_base64_or_a_bad_version_is_a_validation_error(string? message, string version)
    {
        await using var server = await StartAsync();

        var (status, type, _) = await SendAsync(server, message is null ? null : SeedRequest(), version: version);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationException", type);
    }

    [Fact]
    public async Task Meta_refusals_keep_their_code_in_an_InvalidParametersException()
    {
        await using var server = await StartAsync();

        var (status, type, body) = await SendAsync(server, TemplateRequest(SeedRecipient, "no_such_template", "en_US"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParametersException", type);
        Assert.StartsWith("(#132001)", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_faults_apply_undeliverable_numbers_and_the_throughput_cap()
    {
        await using var server = await StartAsync(new SandboxOptions { MessagesPerSecondCap = 1, PairRateWindow = null });

        var undeliverable = await SendAsync(server, SeedRequest("4915100099999"));
        var first = await SendAsync(server, SeedRequest("4915100000001"));
        var second = await SendAsync(server, SeedRequest("4915100000002"));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParametersException"), (undeliverable.Status, undeliverable.ErrorType));
        Assert.StartsWith("(#131026)", (string?)undeliverable.Body!["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode.TooManyRequests, "ThrottledRequestException"), (second.Status, second.ErrorType));
    }

    [Fact]
    public async Task Injected_server_errors_are_AWS_5xx_types()
    {
        await using var server = await StartAsync(new SandboxOptions { ServerErrorRate = 1, RandomSeed = 3 });

        var answers = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 10; i++)
        {
            var (status, type, _) = await SendAsync(server, SeedRequest());
            answers.Add((status, type));
        }

        Assert.All(answers, a => Assert.True(
            a == (HttpStatusCode.InternalServerError, "InternalServiceException") || a == (HttpStatusCode.BadGateway, "DependencyException"), $"{a}"));
        Assert.Empty(server.Messages);
    }
}
