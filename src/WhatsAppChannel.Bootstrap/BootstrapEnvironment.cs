namespace WhatsAppChannel.Bootstrap;

/// <summary>Environment variables the Lambda execution environment gives a custom runtime.</summary>
internal static class BootstrapEnvironment
{
    /// <summary>host:port of the Runtime API.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>The function's memory size in MB.</summary>
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>The X-Ray trace header of the current invocation; the runtime sets it per event.</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";

    /// <summary>The function's handler setting: <see cref="WebhookHandler"/> serves the webhook, anything else the sender.</summary>
    public const string Handler = "_HANDLER";

    /// <summary>The <see cref="Handler"/> value of the webhook function.</summary>
    public const string WebhookHandler = "webhook";
}
