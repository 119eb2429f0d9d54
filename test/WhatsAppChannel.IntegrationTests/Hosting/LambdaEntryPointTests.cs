using System.Text.Json;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.IntegrationTests.Secrets;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Hosting;

/// <summary>The managed-runtime handler, called as the dotnet8 runtime calls it: a new instance, Stream in, Stream out,
/// configuration from the process environment.</summary>
[Collection(ProcessEnvironmentGroup.Name)]
public sealed class LambdaEntryPointTests
{
    [Fact]
    public async Task The_class_library_handler_sends_the_seed_campaign_with_configuration_from_the_environment()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var defaults = new SandboxOptions();
        var variables = new Dictionary<string, string>
        {
            ["FB_BUSINESS_PHONE_ID"] = defaults.PhoneNumberId,
            ["FB_APP_TOKEN"] = defaults.AccessToken,
            ["WHATSAPP_API_BASE_URL"] = sandbox.BaseUrl.AbsoluteUri,
            ["FUNCTION_TIMEOUT_SECONDS"] = "20",
        };
        var previous = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var console = Console.Out;
        using var log = new StringWriter();
        Console.SetOut(log);
        try
        {
            var handler = new LambdaEntryPoint();
            var samples = Path.Combine(RepositoryRoot.Path, "samples", "campaign-event.json");

            await using var input = File.OpenRead(samples);
            var output = await handler.HandleAsync(input);

            using var response = await JsonDocument.ParseAsync(output);
            var attributes = response.RootElement.GetProperty("88ec5ed2e7b7e6db9a4bb1ffe9dc6fa4").GetProperty("EventAttributes");
            Assert.Equal("sent", attributes.GetProperty("whatsapp_status").GetString());
            var message = Assert.Single(sandbox.Messages);
            Assert.Equal(attributes.GetProperty("whatsapp_message_id").GetString(), message.Id);
            Assert.Equal("8613800138000", message.To);

            // The host says once, first, what it lacks, so nobody hunts for its request ids in Lambda's logs.
            var first = JsonDocument.Parse(log.ToString().Split('\n')[0]).RootElement;
            Assert.Equal("Warning", first.GetProperty("level").GetString());
            Assert.Contains("without a Lambda context", first.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Single(log.ToString().Split('\n'), line => line.Contains("without a Lambda context", StringComparison.Ordinal));
        }
        finally
        {
            Console.SetOut(console);
            foreach (var (name, value) in previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
