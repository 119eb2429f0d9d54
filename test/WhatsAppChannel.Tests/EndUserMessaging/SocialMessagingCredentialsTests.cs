using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.EndUserMessaging;

/// <summary>With the aws transport and no AWS credentials nothing can be signed: every endpoint fails as
/// <c>token-unavailable</c>, nothing is sent, and the invocation itself still answers.</summary>
public sealed class SocialMessagingCredentialsTests
{
    [Fact]
    public async Task Without_credentials_every_endpoint_fails_as_token_unavailable_and_the_log_says_why_once()
    {
        await using var server = await ScriptedGraphServer.StartAsync(call => GraphReply.Accepted(call.To, ScriptedGraphServer.MessageId(call)));
        var settings = new Dictionary<string, string>
        {
            ["WHATSAPP_TRANSPORT"] = "aws",
            ["AWS_EUMS_PHONE_NUMBER_ID"] = "phone-number-id-0123456789abcdef0123456789abcdef",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ENDPOINT_URL_SOCIALMESSAGING"] = server.BaseUrl.AbsoluteUri,
        };
        var options = new ChannelFunctionOptions { AwsCredentials = new NoCredentials() };
        var log = new StringWriter();
        await using var function = ChannelFunction.Create(FunctionConfiguration.FromLookup(settings.GetValueOrDefault), log, options);
        var pinpointEvent = new PinpointEventBuilder().Add("e1", "+14155550101").Add("e2", "+14155550102");

        using var input = new MemoryStream(Encoding.UTF8.GetBytes(pinpointEvent.ToJson()));
        await using var output = await function.HandleAsync(input, new InvocationContext("req", DateTimeOffset.UtcNow.AddSeconds(10)), CancellationToken.None);
        using var response = await JsonDocument.ParseAsync(output);

        Assert.All(["e1", "e2"], id =>
        {
            var attributes = response.RootElement.GetProperty(id).GetProperty("EventAttributes");
            Assert.Equal("failed", attributes.GetProperty("whatsapp_status").GetString());
            Assert.Equal("token-unavailable", attributes.GetProperty("whatsapp_reason").GetString());
        });
        Assert.Empty(server.Calls);
        var why = Assert.Single(log.ToString().Split('\n'), line => line.Contains("credentials unavailable", StringComparison.Ordinal));
        Assert.Contains("\"level\":\"Error\"", why, StringComparison.Ordinal);
        Assert.Contains("no usable AWS credentials", why, StringComparison.Ordinal);
    }

    /// <summary>As the default chain behaves when it finds nothing.</summary>
    private sealed class NoCredentials : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => throw new AmazonClientException("Failed to resolve AWS credentials.");

        public override Task<ImmutableCredentials> GetCredentialsAsync() => throw new AmazonClientException("Failed to resolve AWS credentials.");
    }
}
