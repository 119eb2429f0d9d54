using WhatsAppChannel.IntegrationTests.AwsStandIns;
using WhatsAppChannel.IntegrationTests.EndUserMessaging;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The bootstrap with <c>WHATSAPP_TRANSPORT=aws</c>: credentials from the default chain (environment), every send
/// signed and verified by the End User Messaging Social stand-in.</summary>
public sealed class BootstrapSocialMessagingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_50_endpoint_batch_is_sent_through_End_User_Messaging_Social_without_a_meta_token()
    {
        await using var standIn = await SocialMessagingStandIn.StartAsync();
        await using var api = await RuntimeApiStandIn.StartAsync();
        var environment = standIn.FunctionSettings();
        environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        environment["AWS_ACCESS_KEY_ID"] = NodeStandIn.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = NodeStandIn.SecretAccessKey;
        environment["AWS_SESSION_TOKEN"] = NodeStandIn.SessionToken;
        Assert.DoesNotContain(environment.Keys, name => name.StartsWith("FB_", StringComparison.Ordinal));
        await using var bootstrap = await BootstrapExecutable.StartAsync(environment);
        var endpoints = Enumerable.Range(0, 50).Select(i => ($"endpoint-{i}", CampaignEvents.Address(i))).ToArray();

        var post = await api.InvokeAsync(CampaignEvents.Create("aws-batch", endpoints), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);

        Assert.True(post.Kind == RuntimeApiPostKind.Response, $"{post.Kind}: {post.Body}");
        Assert.All(endpoints, e => Assert.Equal("sent", BootstrapInvocationTests.Status(post, e.Item1)));
        var requests = await standIn.RequestsAsync();
        Assert.Equal(50, requests.Count);
        Assert.All(requests, r => Assert.Equal("accepted", (string?)r["outcome"]));
        Assert.Equal(
            endpoints.Select(e => e.Item2).Order(StringComparer.Ordinal),
            requests.Select(r => (string)r["to"]!).Order(StringComparer.Ordinal));
        Assert.Equal(
            requests.Select(r => (string)r["messageId"]!).Order(StringComparer.Ordinal),
            endpoints.Select(e => post.Json.GetProperty(e.Item1).GetProperty("EventAttributes").GetProperty("whatsapp_message_id").GetString()!)
                .Order(StringComparer.Ordinal));
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task A_missing_origination_id_is_posted_to_init_error_naming_it()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await BootstrapExecutable.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["WHATSAPP_TRANSPORT"] = "aws",
            ["AWS_REGION"] = NodeStandIn.Region,
        });

        var initError = await api.InitError.WaitAsync(Bound);
        await bootstrap.WaitForExitAsync(Bound);

        Assert.Equal("InvalidConfiguration", initError.ErrorTypeHeader);
        Assert.StartsWith("AWS_EUMS_PHONE_NUMBER_ID", initError.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}
