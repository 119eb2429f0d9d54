using System.Text.Json;
using WhatsAppChannel.TestSupport;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Harness;

/// <summary><c>whatsapp-channel invoke</c> with a Step Functions batch and an Amazon Connect action, as a user runs it.</summary>
public sealed class HarnessEventShapesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private static async Task<HarnessRun> Run(params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(arguments, new Dictionary<string, string>());
        return await process.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_batch_prints_the_per_endpoint_map()
    {
        var run = await Run("invoke", Sample("distributed-map-batch.json"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(["c-1", "447700900123", "14155550124", "5511987654321"], response.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("opted-out", response.RootElement.GetProperty("14155550124").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
    }

    [Fact]
    public async Task A_Connect_action_takes_its_Data_from_a_file_and_prints_Connects_answer()
    {
        var run = await Run("invoke", Sample("connect-action-event.json"), "--data", Sample("connect-campaign-data.json"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        var profiles = response.RootElement.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray().ToList();
        Assert.Equal(["SUCCESS", "SUCCESS", "FAILURE"], profiles.Select(p => p.GetProperty("Result").GetString()));
    }

    [Fact]
    public async Task A_Connect_action_shows_the_table_with_the_rendered_text()
    {
        var run = await Run("invoke", Sample("connect-action-event.json"), "--data", Sample("connect-campaign-data.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Hi Mary, the Champion T Shirt in your order", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no-phone-number", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("3 endpoints: 2 sent, 0 skipped, 1 failed", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Connect_action_without_Data_fails_every_profile_and_says_why()
    {
        var run = await Run("invoke", Sample("connect-action-event.json"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        Assert.All(response.RootElement.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray(), p =>
        {
            Assert.Equal("FAILURE", p.GetProperty("Result").GetString());
            Assert.StartsWith("campaign-data-unavailable:", p.GetProperty("ResultData").GetProperty("whatsapp_reason").GetString(), StringComparison.Ordinal);
        });
    }
}
