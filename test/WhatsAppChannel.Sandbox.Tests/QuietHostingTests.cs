using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

[Collection(nameof(ConsoleCapture))]
public sealed class QuietHostingTests
{
    [Fact]
    public async Task The_sandbox_writes_nothing_to_stdout_or_stderr()
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        Console.SetError(captured);
        try
        {
            await using (var server = await StartAsync())
            {
                (await PostAsync(server, SeedRequest().ToJsonString())).AssertAccepted();
                await PostAsync(server, "{", token: "wrong");
            }
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }

        Assert.Equal(string.Empty, captured.ToString());
    }
}
