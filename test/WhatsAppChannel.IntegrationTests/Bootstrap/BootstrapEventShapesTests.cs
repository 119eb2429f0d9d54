using System.Text.Json;
using WhatsAppChannel.TestSupport;
using WhatsAppChannel.IntegrationTests.CampaignData;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>The three event shapes, as the samples hold them, through the bootstrap (the AOT binary in CI): Pinpoint's
/// custom channel, a Step Functions Distributed Map batch, and an Amazon Connect campaign action whose Data comes from
/// the Parameter Store stand-in, signed with credentials from the environment.</summary>
public sealed class BootstrapEventShapesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_process_answers_each_shape_in_its_senders_form()
    {
        var root = RepositoryRoot.Path;
        string Sample(string name) => File.ReadAllText(Path.Combine(root, "samples", name));
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var parameters = await ParameterStoreStandIn.StartAsync(new Dictionary<string, string>
        {
            ["/whatsapp/campaigns/Welcome-Campaign"] = Sample("connect-campaign-data.json"),
        });
        var environment = BootstrapStartupTests.ValidFunction(sandbox.BaseUrl.ToString().TrimEnd('/'), api.Address);
        environment["CONNECT_DATA_PARAMETER_PREFIX"] = "/whatsapp/campaigns";
        environment["AWS_ENDPOINT_URL_SSM"] = parameters.Endpoint.ToString();
        environment["AWS_REGION"] = ParameterStoreStandIn.Region;
        environment["AWS_ACCESS_KEY_ID"] = ParameterStoreStandIn.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = ParameterStoreStandIn.SecretAccessKey;
        environment["AWS_SESSION_TOKEN"] = ParameterStoreStandIn.SessionToken;
        await using var bootstrap = await BootstrapExecutable.StartAsync(environment);

        var pinpoint = await api.InvokeAsync(Sample("campaign-event.json"), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);
        var batch = await api.InvokeAsync(Sample("distributed-map-batch.json"), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);
        var connect = await api.InvokeAsync(Sample("connect-action-event.json"), BootstrapInvocationTests.InSeconds(30)).WaitAsync(Bound);

        Assert.All([pinpoint, batch, connect], post => Assert.Equal(RuntimeApiPostKind.Response, post.Kind));
        Assert.Equal("sent", BootstrapInvocationTests.Status(pinpoint, "88ec5ed2e7b7e6db9a4bb1ffe9dc6fa4"));
        Assert.Equal(["c-1", "447700900123", "14155550124", "5511987654321"], batch.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["sent", "sent", "skipped", "sent"], batch.Json.EnumerateObject().Select(p => p.Value.GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString()));
        var profiles = connect.Json.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray().ToList();
        Assert.Equal(["SUCCESS", "SUCCESS", "FAILURE"], profiles.Select(p => p.GetProperty("Result").GetString()));
        Assert.Equal("no-phone-number", profiles[2].GetProperty("ResultData").GetProperty("whatsapp_reason").GetString());
        Assert.Equal(["answered /whatsapp/campaigns/Welcome-Campaign"], await parameters.OutcomesAsync());

        var texts = sandbox.Messages.Select(m => m.RenderedText).ToList();
        Assert.Equal(6, texts.Count);
        Assert.Contains(texts, t => t.StartsWith("Hi Maria, the Tênis Corrida 42 in your order", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Hi Ann, the Running Shoes in your order", StringComparison.Ordinal));
        Assert.False(bootstrap.HasExited);
    }
}
