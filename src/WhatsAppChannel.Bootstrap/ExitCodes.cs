namespace WhatsAppChannel.Bootstrap;

/// <summary>Process exit codes of the bootstrap.</summary>
internal static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM/SIGINT).</summary>
    public const int Stopped = 0;

    /// <summary>The function could not start: bad configuration or no Runtime API address.</summary>
    public const int StartupFailed = 1;

    /// <summary>The Runtime API answered with an error or went away; Lambda replaces the environment.</summary>
    public const int RuntimeApiFailed = 2;
}
