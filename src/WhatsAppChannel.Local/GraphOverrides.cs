using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.Local;

/// <summary>The function's environment as the harness runs it: the process environment, with the sandbox's (or the
/// command line's) Graph server, token and phone number id on top.</summary>
internal static class GraphOverrides
{
    public static Func<string, string?> Lookup(string? graphUrl, string? token, string? phoneNumberId, SandboxServer? sandbox, SandboxOptions options)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (sandbox is not null)
        {
            values["WHATSAPP_API_BASE_URL"] = sandbox.BaseUrl.AbsoluteUri;
            values["FB_APP_TOKEN"] = options.AccessToken;
            values["FB_BUSINESS_PHONE_ID"] = options.PhoneNumberId;
            values["FB_SECRET_ARN"] = null; // The sandbox's token, not a real secret.
        }
        else
        {
            values["WHATSAPP_API_BASE_URL"] = graphUrl;
            if (token is not null)
            {
                values["FB_APP_TOKEN"] = token;
                values["FB_SECRET_ARN"] = null;
            }

            if (phoneNumberId is not null)
            {
                values["FB_BUSINESS_PHONE_ID"] = phoneNumberId;
            }
        }

        return name => values.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);
    }
}
