using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Harness;

/// <summary><c>whatsapp-channel invoke --transport aws</c>: the real handler signs End User Messaging Social requests and the
/// built-in sandbox answers them, so the aws transport runs on a fresh clone without an AWS account.</summary>
public sealed class HarnessAwsTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private static async Task<HarnessRun> Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(arguments, environment);
        return await process.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Invoke_json_through_the_sandbox_sends_over_the_aws_transport()
    {
        var run = await Run(new Dictionary<string, string>(), "invoke", Sample("campaign-event.json"), "--transport", "aws", "--json", "--verbose");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        var attributes = Assert.Single(response.RootElement.EnumerateObject()).Value.GetProperty("EventAttributes");
        Assert.Equal("sent", attributes.GetProperty("whatsapp_status").GetString());
        Assert.StartsWith("wamid.", attributes.GetProperty("whatsapp_message_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", attributes.GetProperty("whatsapp_attempts").GetString());
        Assert.DoesNotContain("sandbox-token", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_shows_the_text_the_recipient_reads_and_ignores_meta_credentials_in_the_environment()
    {
        var environment = new Dictionary<string, string> { ["FB_SECRET_ARN"] = "arn:aws:secretsmanager:eu-west-1:1:secret:unused" };

        var run = await Run(environment, "invoke", Sample("campaign-event.json"), "--transport", "aws");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Hi Tuohumai, the  Champion T Shirt in your order is not paid yet.", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 endpoints: 1 sent, 0 skipped, 0 failed", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--transport", "graph")]
    [InlineData("--graph-url", "http://127.0.0.1:1")]
    public async Task A_bad_transport_option_exits_2(string option, string value)
    {
        var run = await Run(new Dictionary<string, string>(), "invoke", Sample("campaign-event.json"), "--transport", "aws", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, run.StandardError, StringComparison.Ordinal);
    }
}
