namespace WhatsAppChannel.IntegrationTests.Idempotency;

/// <summary>A machine without the test tools fails the DynamoDB tests loudly instead of skipping them.</summary>
public sealed class DynaliteServerTests
{
    [Fact]
    public async Task Missing_dynalite_fails_with_a_clear_message()
    {
        var server = new DynaliteServer(Path.Combine(Path.GetTempPath(), "no-tools-" + Guid.NewGuid().ToString("N")), "node");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(server.InitializeAsync);

        Assert.Contains("dynalite is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_node_fails_with_a_clear_message()
    {
        var tools = Path.Combine(RepositoryRoot.Path, "test", "tools");
        var server = new DynaliteServer(tools, "node-that-does-not-exist-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(server.InitializeAsync);
        await server.DisposeAsync();

        Assert.Contains("was not found on PATH", error.Message, StringComparison.Ordinal);
    }
}
