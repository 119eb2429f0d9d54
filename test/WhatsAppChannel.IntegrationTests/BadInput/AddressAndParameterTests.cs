using System.Text;
using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.BadInput;

/// <summary>Addresses and parameters that used to reach the wrong person or go out raw, through the real handler
/// and the sandbox over HTTP: what the sandbox accepted is what a recipient would have received.</summary>
public sealed class AddressAndParameterTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<JsonElement> InvokeAsync(string? region, string endpointsJson, string data = DefaultData)
    {
        var options = new SandboxOptions();
        var environment = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = options.PhoneNumberId,
            ["FB_APP_TOKEN"] = options.AccessToken,
            ["WHATSAPP_API_BASE_URL"] = _sandbox.BaseUrl.AbsoluteUri,
        };
        if (region is not null)
        {
            environment["WHATSAPP_DEFAULT_REGION"] = region;
        }

        await using var function = ChannelFunction.Create(FunctionConfiguration.FromLookup(environment.GetValueOrDefault), TextWriter.Null);
        var payload = Encoding.UTF8.GetBytes($$"""{"Data":{{JsonSerializer.Serialize(data)}},"Endpoints":{{endpointsJson}}}""");
        await using var output = await function.HandleAsync(
            new MemoryStream(payload), new InvocationContext("addresses", DateTimeOffset.UtcNow.AddSeconds(20)), CancellationToken.None);
        using var response = await JsonDocument.ParseAsync(output);
        return response.RootElement.Clone();
    }

    private const string DefaultData = """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"Ann"},{"type":"text","text":"shirt"}]}]}""";

    private static string OneEndpoint(string address) => $$$"""{"e":{"Address":{{{JsonSerializer.Serialize(address)}}}}}""";

    private static string Attribute(JsonElement response, string endpointId, string name) =>
        response.GetProperty(endpointId).GetProperty("EventAttributes").TryGetProperty(name, out var value) ? value.GetString()! : "";

    [Theory]
    [InlineData("DE", "14155550123", "14155550123")]
    [InlineData("DE", "030 1234567", "49301234567")]
    [InlineData("AT", "4915112345678", "4915112345678")]
    [InlineData("IT", "447911123456", "447911123456")]
    [InlineData("IN", "8613800138000", "8613800138000")]
    [InlineData("IN", "98765 43210", "919876543210")]
    [InlineData("JP", "4915112345678", "4915112345678")]
    [InlineData("NG", "14155550123", "14155550123")]
    [InlineData("CN", "14155550123", "14155550123")]
    [InlineData("BR", "4915112345678", "4915112345678")]
    [InlineData("GB", "8613800138000", "8613800138000")]
    [InlineData("US", "8613800138000", "8613800138000")]
    public async Task A_number_goes_to_the_one_recipient_it_can_mean(string region, string address, string expectedTo)
    {
        var response = await InvokeAsync(region, OneEndpoint(address));

        Assert.Equal("sent", Attribute(response, "e", "whatsapp_status"));
        Assert.Equal(expectedTo, Assert.Single(_sandbox.Messages).To);
    }

    [Theory]
    [InlineData("DE", "4915112345678", "ambiguous-address")]
    [InlineData("DE", "447911123456", "ambiguous-address")]
    [InlineData("AT", "14155550123", "ambiguous-address")]
    [InlineData("ID", "819012345678", "ambiguous-address")]
    [InlineData("US", "6465550123", "ambiguous-address")]
    [InlineData("US", "+1 415 555 XXXX", "invalid-address")]
    [InlineData(null, "+1-800-FLOWERS", "invalid-address")]
    [InlineData("CN", "86 138 0013 81x3", "invalid-address")]
    [InlineData(null, "+86138001380AB", "invalid-address")]
    [InlineData("NG", "8#000", "invalid-address")]
    [InlineData("DE", "+49 151 12345678 ext. 2", "invalid-address")]
    public async Task A_number_that_could_reach_someone_else_is_skipped_and_nothing_is_sent(string? region, string address, string reason)
    {
        var response = await InvokeAsync(region, OneEndpoint(address));

        Assert.Equal("skipped", Attribute(response, "e", "whatsapp_status"));
        Assert.Equal(reason, Attribute(response, "e", "whatsapp_reason"));
        Assert.Equal(0, _sandbox.RequestCount);
    }

    [Fact]
    public async Task Parameters_go_out_as_WhatsApp_accepts_them_or_the_endpoint_is_skipped()
    {
        const string data = """
            {"templateName":"ordertimeoutnotification","language":"en-us",
             "params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":"{{Metrics.Points}} points"}]}]}
            """;
        // Pinpoint passes numbers through as written: 10^21 would turn into 1E+21 as a double.
        const string endpoints = """
            {"ok":{"Address":"+14155550101","User":{"UserAttributes":{"FirstName":["Ann"]}},"Metrics":{"Points":1000000000000000000000}},
             "newline":{"Address":"+14155550102","User":{"UserAttributes":{"FirstName":["Ann\nSmith"]}},"Metrics":{"Points":1}},
             "spaces":{"Address":"+14155550103","User":{"UserAttributes":{"FirstName":["Ann     Smith"]}},"Metrics":{"Points":1}}}
            """;

        var response = await InvokeAsync(null, endpoints, data);

        Assert.Equal("sent", Attribute(response, "ok", "whatsapp_status"));
        Assert.Equal("invalid-parameter", Attribute(response, "newline", "whatsapp_reason"));
        Assert.Equal("invalid-parameter", Attribute(response, "spaces", "whatsapp_reason"));
        var message = Assert.Single(_sandbox.Messages);
        Assert.Equal("en_US", message.Language);
        Assert.Contains("the 1000000000000000000000 points in your order", message.RenderedText, StringComparison.Ordinal);
    }
}
