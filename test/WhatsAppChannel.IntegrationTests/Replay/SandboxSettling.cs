using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Replay;

internal static class SandboxSettling
{
    /// <summary>Waits until the sandbox handles no send request: after a killed caller, every message it will ever
    /// accept for that caller is then in <see cref="SandboxServer.Messages"/>. A condition, not a guess at latency.</summary>
    public static async Task WaitUntilIdleAsync(this SandboxServer sandbox, TimeSpan timeout)
    {
        var giveUp = DateTimeOffset.UtcNow + timeout;
        while (sandbox.RequestsInFlight > 0)
        {
            Assert.True(DateTimeOffset.UtcNow < giveUp, $"The sandbox still had {sandbox.RequestsInFlight} requests in flight after {timeout}.");
            await Task.Delay(10);
        }
    }
}
