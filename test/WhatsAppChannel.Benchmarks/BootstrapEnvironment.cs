using System.Globalization;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The environment Lambda and our deployment give the bootstrap, pointed at local stand-ins.</summary>
internal static class BootstrapEnvironment
{
    /// <summary>The function's memory size, as Lambda sets it; the bootstrap sizes its GC heap limit from it.</summary>
    public const int FunctionMemoryMb = 128;

    public static Dictionary<string, string?> For(RuntimeApiStandIn runtimeApi, SandboxServer sandbox, int? sendRatePerSecond = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "whatsapp-channel",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = FunctionMemoryMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_REGION"] = "eu-west-1",
            ["FB_BUSINESS_PHONE_ID"] = "100000000000001",
            ["FB_APP_TOKEN"] = "sandbox-token",
            ["WHATSAPP_API_BASE_URL"] = sandbox.BaseUrl.ToString(),
        };
        if (sendRatePerSecond is { } rate)
        {
            // Both limits: the instance's cap and the number's budget (80/s by default would hold the rate down).
            environment["SEND_RATE_PER_SECOND"] = rate.ToString(CultureInfo.InvariantCulture);
            environment["WHATSAPP_THROUGHPUT_PER_SECOND"] = rate.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }
}
