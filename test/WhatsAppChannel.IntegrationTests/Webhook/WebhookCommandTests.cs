using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Webhook;

/// <summary><c>whatsapp-channel webhook EVENT.json</c> on the samples, as a user runs it.</summary>
public sealed class WebhookCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "WhatsAppChannel.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir.FullName, "samples", name);
    }

    private static async Task<(int ExitCode, JsonElement Answer, string Log)> RunAsync(params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(["webhook", .. arguments], new Dictionary<string, string>());
        var run = await process.WaitAsync(Timeout);
        using var answer = JsonDocument.Parse(run.StandardOutput);
        return (run.ExitCode, answer.RootElement.Clone(), run.StandardError);
    }

    [Fact]
    public async Task The_verification_sample_gets_its_challenge_back()
    {
        var (exitCode, answer, _) = await RunAsync(Sample("webhook-verification.json"));

        Assert.Equal(0, exitCode);
        Assert.Equal((200, "1158201444"), (answer.GetProperty("statusCode").GetInt32(), answer.GetProperty("body").GetString()));
    }

    [Theory]
    [InlineData("webhook-statuses.json", "delivery status")]
    [InlineData("webhook-stop.json", "opt-out recorded")]
    public async Task The_signed_samples_are_accepted_and_logged_masked(string sample, string logged)
    {
        var (exitCode, answer, log) = await RunAsync(Sample(sample));

        Assert.Equal(0, exitCode);
        Assert.Equal(200, answer.GetProperty("statusCode").GetInt32());
        Assert.Contains(logged, log, StringComparison.Ordinal);
        Assert.DoesNotContain("1415555100", log, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox-app-secret", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_checked_with_another_app_secret_is_401()
    {
        var (exitCode, answer, _) = await RunAsync(Sample("webhook-statuses.json"), "--app-secret", "another-secret");

        Assert.Equal(0, exitCode);
        Assert.Equal(401, answer.GetProperty("statusCode").GetInt32());
    }
}
