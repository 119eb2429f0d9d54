namespace WhatsAppChannel.Local;

/// <summary>The harness's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The invocation ran; per-endpoint failures included.</summary>
    public const int Success = 0;

    /// <summary>Anything else: missing file, sandbox failure, a bug.</summary>
    public const int Failure = 1;

    /// <summary>An unusable event or configuration, or bad command-line arguments.</summary>
    public const int UnusableInput = 2;
}
