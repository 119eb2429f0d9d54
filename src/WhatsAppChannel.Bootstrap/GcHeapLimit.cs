using System.Globalization;

namespace WhatsAppChannel.Bootstrap;

/// <summary>Caps the GC heap at a share of the function's configured memory.</summary>
/// <remarks>A Lambda sandbox is sized by AWS_LAMBDA_FUNCTION_MEMORY_SIZE and killed when the process outgrows it.
/// A hard limit makes the GC collect harder as the heap nears it (and fail with OutOfMemoryException, which is
/// reported) instead of letting the sandbox be killed mid-batch. The rest is left for code, stacks and socket buffers.</remarks>
internal static class GcHeapLimit
{
    private const int HeapPercentOfFunctionMemory = 75;
    private const string HardLimitSetting = "GCHeapHardLimit";
    private const string ExplicitHardLimitVariable = "DOTNET_GCHeapHardLimit";
    private const string ExplicitHardLimitPercentVariable = "DOTNET_GCHeapHardLimitPercent";

    /// <summary>Applies the limit when the memory size is known and no explicit GC limit was configured.</summary>
    /// <returns>The limit set in bytes, or null when none was set.</returns>
    public static ulong? Apply(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(ExplicitHardLimitVariable) is not null || environment(ExplicitHardLimitPercentVariable) is not null
            || !int.TryParse(environment(BootstrapEnvironment.FunctionMemorySize), NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes)
            || megabytes <= 0)
        {
            return null;
        }

        var limit = (ulong)megabytes * 1024 * 1024 * HeapPercentOfFunctionMemory / 100;
        AppContext.SetData(HardLimitSetting, limit);
        try
        {
            GC.RefreshMemoryLimit();
        }
        catch (InvalidOperationException)
        {
            // The heap already holds more than the limit (a tiny memory size): keep the GC's own limits.
            AppContext.SetData(HardLimitSetting, null);
            return null;
        }

        return limit;
    }
}
