using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using WhatsAppChannel.CampaignData;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Sandbox;
using WhatsAppChannel.TestSupport;

namespace WhatsAppChannel.IntegrationTests.CampaignData;

/// <summary>Amazon Connect campaigns' Data read from a Parameter Store stand-in that verifies SigV4 independently.</summary>
public sealed class ParameterStoreSigV4Tests : IAsyncLifetime
{
    private const string Prefix = "/whatsapp/campaigns";
    private const string DefaultData = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{Profile.FirstName|there}}"},{"type":"text","text":"default pack"}]}]}""";

    private static readonly SessionAWSCredentials Credentials =
        new(ParameterStoreStandIn.AccessKeyId, ParameterStoreStandIn.SecretAccessKey, ParameterStoreStandIn.SessionToken);

    private ParameterStoreStandIn _standIn = null!;

    public async Task InitializeAsync() =>
        _standIn = await ParameterStoreStandIn.StartAsync(new Dictionary<string, string>
        {
            [Prefix + "/Welcome-Campaign"] = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "samples", "connect-campaign-data.json")),
            [Prefix + "/default"] = DefaultData,
        });

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private FunctionConfiguration Configuration(TimeSpan? cacheLifetime = null) => new()
    {
        PhoneNumberId = "1234567890",
        AppToken = "unused",
        AwsRegion = ParameterStoreStandIn.Region,
        SsmEndpoint = _standIn.Endpoint,
        ConnectDataParameterPrefix = Prefix,
        ConnectDataCacheLifetime = cacheLifetime ?? TimeSpan.FromMinutes(5),
    };

    private ICampaignDataSource Source(AWSCredentials? credentials = null, TimeSpan? cacheLifetime = null) =>
        CampaignDataSourceFactory.Create(Configuration(cacheLifetime), TimeProvider.System, credentials ?? Credentials, transport: null)!;

    [Fact]
    public async Task A_campaign_reads_its_own_parameter_its_name_made_a_valid_parameter_name()
    {
        var data = await Source().GetAsync("Welcome Campaign", CancellationToken.None);

        Assert.Contains("{{Profile.FirstName|there}}", data.Text, StringComparison.Ordinal);
        Assert.Equal("parameter /whatsapp/campaigns/Welcome-Campaign", data.Origin);
        Assert.Equal(["answered /whatsapp/campaigns/Welcome-Campaign"], await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task A_campaign_without_its_own_parameter_reads_the_default()
    {
        var data = await Source().GetAsync("Spring Sale", CancellationToken.None);

        Assert.Equal(DefaultData, data.Text);
        Assert.Equal(
            ["rejected ParameterNotFound /whatsapp/campaigns/Spring-Sale", "answered /whatsapp/campaigns/default"],
            await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task The_Data_is_cached_like_the_token()
    {
        var source = Source();

        await source.GetAsync("Welcome Campaign", CancellationToken.None);
        await source.GetAsync("Welcome Campaign", CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => source.GetAsync("Spring Sale", CancellationToken.None)));

        Assert.Equal(3, (await _standIn.OutcomesAsync()).Count);
    }

    [Fact]
    public async Task A_wrong_secret_key_fails_the_signature_check_without_echoing_AWSs_text()
    {
        var source = Source(new SessionAWSCredentials(ParameterStoreStandIn.AccessKeyId, "not-the-secret-key", ParameterStoreStandIn.SessionToken));

        var error = await Assert.ThrowsAsync<CampaignDataUnavailableException>(() => source.GetAsync("Welcome Campaign", CancellationToken.None));

        Assert.Equal("AWS rejected the function's credentials (InvalidSignatureException) reading parameter /whatsapp/campaigns/Welcome-Campaign", error.Message);
        Assert.Equal(["rejected InvalidSignatureException"], await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task A_failed_read_is_not_cached()
    {
        var source = Source(new SessionAWSCredentials(ParameterStoreStandIn.AccessKeyId, ParameterStoreStandIn.SecretAccessKey, "someone-elses-session"));

        await Assert.ThrowsAsync<CampaignDataUnavailableException>(() => source.GetAsync("Welcome Campaign", CancellationToken.None));
        await Assert.ThrowsAsync<CampaignDataUnavailableException>(() => source.GetAsync("Welcome Campaign", CancellationToken.None));

        Assert.Equal(["rejected UnrecognizedClientException", "rejected UnrecognizedClientException"], await _standIn.OutcomesAsync());
    }

    [Fact]
    public async Task No_parameter_at_all_names_both_places()
    {
        await using var empty = await ParameterStoreStandIn.StartAsync(new Dictionary<string, string>());
        var source = CampaignDataSourceFactory.Create(Configuration() with { SsmEndpoint = empty.Endpoint }, TimeProvider.System, Credentials, transport: null)!;

        var error = await Assert.ThrowsAsync<CampaignDataUnavailableException>(() => source.GetAsync("Welcome Campaign", CancellationToken.None));

        Assert.Equal("no parameter /whatsapp/campaigns/Welcome-Campaign (nor /whatsapp/campaigns/default) in Systems Manager Parameter Store: put the campaign's Data there", error.Message);
    }

    [Fact]
    public async Task A_Connect_action_is_sent_through_the_sandbox_with_its_Data_from_the_stand_in()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        var sandboxOptions = new SandboxOptions();
        var configuration = Configuration() with
        {
            PhoneNumberId = sandboxOptions.PhoneNumberId,
            AppToken = sandboxOptions.AccessToken,
            ApiBaseUrl = sandbox.BaseUrl,
        };
        var options = new ChannelFunctionOptions
        {
            CampaignData = CampaignDataSourceFactory.Create(configuration, TimeProvider.System, Credentials, transport: null),
        };
        await using var function = ChannelFunction.Create(configuration, TextWriter.Null, options);
        var action = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.Path, "samples", "connect-action-event.json"));

        await using var output = await function.HandleAsync(new MemoryStream(action), new InvocationContext("ssm", DateTimeOffset.UtcNow.AddSeconds(30)), CancellationToken.None);

        using var answer = await JsonDocument.ParseAsync(output);
        var profiles = answer.RootElement.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray().ToList();
        Assert.Equal(["SUCCESS", "SUCCESS", "FAILURE"], profiles.Select(p => p.GetProperty("Result").GetString()));
        Assert.Equal(2, sandbox.RequestCount);
        Assert.Equal("no-phone-number", profiles[2].GetProperty("ResultData").GetProperty("whatsapp_reason").GetString());
        Assert.Contains(sandbox.Messages, m => m.RenderedText.Contains("Hi Mary, the Champion T Shirt in your order", StringComparison.Ordinal));
        Assert.Equal(["answered /whatsapp/campaigns/Welcome-Campaign"], await _standIn.OutcomesAsync());
    }
}
