namespace WhatsAppChannel.Bootstrap;

/// <summary>Paths of the Lambda Runtime API (version 2018-06-01), relative to http://$AWS_LAMBDA_RUNTIME_API/.</summary>
internal static class RuntimeApiPaths
{
    public const string Version = "2018-06-01";
    public const string NextInvocation = Version + "/runtime/invocation/next";
    public const string InitError = Version + "/runtime/init/error";

    public static string InvocationResponse(string requestId) =>
        $"{Version}/runtime/invocation/{Uri.EscapeDataString(requestId)}/response";

    public static string InvocationError(string requestId) =>
        $"{Version}/runtime/invocation/{Uri.EscapeDataString(requestId)}/error";
}
