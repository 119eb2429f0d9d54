namespace WhatsAppChannel.Sandbox.Tests;

/// <summary>Where the sandbox posts its status webhooks: one receiver, given at start or once afterwards.</summary>
public sealed class StatusDestinationTests
{
    [Fact]
    public async Task A_receiver_given_after_start_cannot_be_replaced()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());

        sandbox.PostStatusesTo(new Uri("http://127.0.0.1:9/"), "secret");

        Assert.Throws<InvalidOperationException>(() => sandbox.PostStatusesTo(new Uri("http://127.0.0.1:9/other"), "secret"));
    }

    [Fact]
    public async Task A_receiver_given_at_start_cannot_be_replaced()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { WebhookUrl = new Uri("http://127.0.0.1:9/") });

        Assert.Throws<InvalidOperationException>(() => sandbox.PostStatusesTo(new Uri("http://127.0.0.1:9/other"), "secret"));
    }

    [Fact]
    public async Task An_empty_app_secret_is_refused()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());

        Assert.Throws<ArgumentException>(() => sandbox.PostStatusesTo(new Uri("http://127.0.0.1:9/"), ""));
    }
}
