using System.Globalization;
using WhatsAppChannel.Observability;
using WhatsAppChannel.Errors;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Planning;
using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.Hosting;

/// <summary>Everything the function reads from its environment, read once at start-up.</summary>
public sealed record FunctionConfiguration
{
    /// <summary>The sending number: Meta's phone number id (<c>FB_BUSINESS_PHONE_ID</c>) or, with the aws transport, the
    /// origination phone number id (<c>AWS_EUMS_PHONE_NUMBER_ID</c>).</summary>
    public required string PhoneNumberId { get; init; }
    public MessageTransportKind Transport { get; init; } = MessageTransportKind.Meta;

    public Uri? SocialMessagingEndpoint { get; init; }
    public string? SecretArn { get; init; }
    public string? AppToken { get; init; }
    public Uri ApiBaseUrl { get; init; } = new("https://graph.facebook.com");
    public string ApiVersion { get; init; } = "v24.0";
    public string DefaultLanguage { get; init; } = "en_US";
    public bool LanguageFromLocale { get; init; }
    public string? DefaultRegion { get; init; }
    public int SendConcurrency { get; init; } = 50;
    public int SendRatePerSecond { get; init; } = 80;

    /// <summary>A sender number's messages per second across all instances (shared through the idempotency table when set).</summary>
    public int ThroughputPerSecond { get; init; } = 80;

    /// <summary>Numbers an event may pick with <c>Data.phoneNumberId</c>, besides <see cref="PhoneNumberId"/>: <c>WHATSAPP_PHONE_NUMBER_IDS</c>,
    /// or <c>AWS_EUMS_PHONE_NUMBER_IDS</c> with the aws transport.</summary>
    public IReadOnlyList<string> PhoneNumberIds { get; init; } = [];

    /// <summary>The variable that lists <see cref="PhoneNumberIds"/>, for messages that tell where to add a number.</summary>
    public string PhoneNumberIdsVariable => Transport == MessageTransportKind.Aws ? "AWS_EUMS_PHONE_NUMBER_IDS" : "WHATSAPP_PHONE_NUMBER_IDS";
    public TimeSpan TokenCacheLifetime { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string? IdempotencyTable { get; init; }
    public TimeSpan IdempotencyClaimLifetime { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan IdempotencyRecordLifetime { get; init; } = TimeSpan.FromDays(7);
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public string? AwsRegion { get; init; }
    public Uri? SecretsManagerEndpoint { get; init; }
    public Uri? DynamoDbEndpoint { get; init; }
    public int? SecretsExtensionPort { get; init; }
    public string? AwsSessionToken { get; init; }
    public string? ConnectDataParameterPrefix { get; init; }
    public Uri? SsmEndpoint { get; init; }
    public TimeSpan ConnectDataCacheLifetime { get; init; } = TimeSpan.FromSeconds(300);
    public string? BusinessAccountId { get; init; }
    public TimeSpan TemplateCacheLifetime { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary><c>WHATSAPP_MARKETING_MESSAGES</c>: MARKETING templates go to Meta's Marketing Messages API.</summary>
    public bool MarketingMessages { get; init; }

    /// <summary>The webhook's verification handshake token (<c>WHATSAPP_WEBHOOK_VERIFY_TOKEN</c>).</summary>
    public string? WebhookVerifyToken { get; init; }

    /// <summary>The Meta app secret given directly (<c>FB_APP_SECRET</c>); the secret's key of that name wins.</summary>
    public string? AppSecret { get; init; }

    /// <summary>Replies that opt a number out (<c>WHATSAPP_OPT_OUT_KEYWORDS</c>, comma-separated).</summary>
    public IReadOnlyList<string> OptOutKeywords { get; init; } = ["STOP", "UNSUBSCRIBE"];

    /// <summary>Replies that lift an opt-out (<c>WHATSAPP_OPT_IN_KEYWORDS</c>, comma-separated).</summary>
    public IReadOnlyList<string> OptInKeywords { get; init; } = ["START"];

    /// <summary>Reads the process environment.</summary>
    public static FunctionConfiguration FromEnvironment() =>
        FromLookup(Environment.GetEnvironmentVariable);

    /// <exception cref="ConfigurationException">A variable is missing or malformed; the message names it.</exception>
    public static FunctionConfiguration FromLookup(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        string? Get(string name) => string.IsNullOrWhiteSpace(lookup(name)) ? null : lookup(name)!.Trim();

        var transport = ParseTransport(Get("WHATSAPP_TRANSPORT"));
        var region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION");
        string phoneNumberId;
        string? secretArn = null;
        string? appToken = null;
        if (transport == MessageTransportKind.Aws)
        {
            // AWS holds the Meta credentials: none are read, so none can be missing.
            phoneNumberId = ParseOriginationId("AWS_EUMS_PHONE_NUMBER_ID", Get("AWS_EUMS_PHONE_NUMBER_ID")
                ?? throw new ConfigurationException("AWS_EUMS_PHONE_NUMBER_ID is not set: the aws transport sends from this origination phone number id (phone-number-id-...)."));
            if (region is null)
            {
                throw new ConfigurationException("AWS_REGION is not set: the aws transport signs its requests for the region of End User Messaging Social.");
            }
        }
        else
        {
            phoneNumberId = Get("FB_BUSINESS_PHONE_ID")
                ?? throw new ConfigurationException("FB_BUSINESS_PHONE_ID is not set: give the WhatsApp phone number id.");
            if (!phoneNumberId.All(char.IsAsciiDigit))
            {
                throw new ConfigurationException("FB_BUSINESS_PHONE_ID must be the numeric WhatsApp phone number id.");
            }

            secretArn = Get("FB_SECRET_ARN");
            appToken = Get("FB_APP_TOKEN");
            if (appToken is not null && !AccessTokenText.IsWellFormed(appToken))
            {
                // The token itself is never echoed.
                throw new ConfigurationException($"FB_APP_TOKEN {AccessTokenText.Problem}.");
            }

            if (secretArn is null && appToken is null)
            {
                throw new ConfigurationException("FB_SECRET_ARN is not set (nor FB_APP_TOKEN): the function has no access token.");
            }
        }

        var baseUrl = ParseGraphBaseUrl(Get("WHATSAPP_API_BASE_URL"));
        var version = Get("WHATSAPP_API_VERSION") ?? "v24.0";
        if (!IsGraphVersion(version))
        {
            throw new ConfigurationException($"WHATSAPP_API_VERSION '{version}' is malformed: expected v<major>.<minor> such as v24.0.");
        }

        var extensionPort = ParseInt(Get, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", null, 1, 65535);

        return new FunctionConfiguration
        {
            PhoneNumberId = phoneNumberId,
            Transport = transport,
            SocialMessagingEndpoint = ParseUri(Get, "AWS_ENDPOINT_URL_SOCIALMESSAGING") ?? ParseUri(Get, "AWS_ENDPOINT_URL"),
            SecretArn = secretArn,
            AppToken = appToken,
            ApiBaseUrl = baseUrl,
            ApiVersion = version,
            DefaultLanguage = ParseLanguage(Get("WHATSAPP_DEFAULT_LANGUAGE")),
            LanguageFromLocale = ParseBool(Get, "WHATSAPP_LANGUAGE_FROM_LOCALE"),
            DefaultRegion = ParseRegion(Get("WHATSAPP_DEFAULT_REGION")),
            SendConcurrency = ParseInt(Get, "SEND_CONCURRENCY", 50, 1, 1000)!.Value,
            SendRatePerSecond = ParseInt(Get, "SEND_RATE_PER_SECOND", 80, 1, 100_000)!.Value,
            ThroughputPerSecond = ParseInt(Get, "WHATSAPP_THROUGHPUT_PER_SECOND", 80, 1, 100_000)!.Value,
            PhoneNumberIds = transport == MessageTransportKind.Aws
                ? ParseOriginationIds(Get("AWS_EUMS_PHONE_NUMBER_IDS"))
                : ParsePhoneNumberIds(Get("WHATSAPP_PHONE_NUMBER_IDS")),
            TokenCacheLifetime = TimeSpan.FromSeconds(ParseInt(Get, "TOKEN_CACHE_SECONDS", 300, 0, 86_400)!.Value),
            FunctionTimeout = TimeSpan.FromSeconds(ParseInt(Get, "FUNCTION_TIMEOUT_SECONDS", 30, 1, 900)!.Value),
            IdempotencyTable = Get("IDEMPOTENCY_TABLE"),
            IdempotencyClaimLifetime = TimeSpan.FromSeconds(ParseInt(Get, "IDEMPOTENCY_CLAIM_SECONDS", 120, 1, 86_400)!.Value),
            IdempotencyRecordLifetime = TimeSpan.FromDays(ParseInt(Get, "IDEMPOTENCY_TTL_DAYS", 7, 1, 3650)!.Value),
            LogLevel = ParseLogLevel(Get("LOG_LEVEL")),
            AwsRegion = region,
            SecretsManagerEndpoint = ParseUri(Get, "AWS_ENDPOINT_URL_SECRETS_MANAGER") ?? ParseUri(Get, "AWS_ENDPOINT_URL"),
            DynamoDbEndpoint = ParseUri(Get, "AWS_ENDPOINT_URL_DYNAMODB") ?? ParseUri(Get, "AWS_ENDPOINT_URL"),
            SecretsExtensionPort = extensionPort,
            AwsSessionToken = Get("AWS_SESSION_TOKEN"),
            BusinessAccountId = ParseDigits(Get, "WHATSAPP_BUSINESS_ACCOUNT_ID"),
            TemplateCacheLifetime = TimeSpan.FromSeconds(ParseInt(Get, "TEMPLATE_CACHE_SECONDS", 600, 0, 86_400)!.Value),
            MarketingMessages = ParseMarketingMessages(Get, transport),
            WebhookVerifyToken = Get("WHATSAPP_WEBHOOK_VERIFY_TOKEN"),
            AppSecret = Get("FB_APP_SECRET"),
            OptOutKeywords = ParseKeywords(Get, "WHATSAPP_OPT_OUT_KEYWORDS", ["STOP", "UNSUBSCRIBE"]),
            OptInKeywords = ParseKeywords(Get, "WHATSAPP_OPT_IN_KEYWORDS", ["START"]),
            ConnectDataParameterPrefix = ParseParameterPrefix(Get("CONNECT_DATA_PARAMETER_PREFIX")),
            SsmEndpoint = ParseUri(Get, "AWS_ENDPOINT_URL_SSM") ?? ParseUri(Get, "AWS_ENDPOINT_URL"),
            ConnectDataCacheLifetime = TimeSpan.FromSeconds(ParseInt(Get, "CONNECT_DATA_CACHE_SECONDS", 300, 0, 86_400)!.Value),
        };
    }

    private static MessageTransportKind ParseTransport(string? value) => value?.ToLowerInvariant() switch
    {
        null or "meta" => MessageTransportKind.Meta,
        "aws" => MessageTransportKind.Aws,
        _ => throw new ConfigurationException($"WHATSAPP_TRANSPORT '{value}' must be meta or aws."),
    };

    // As the API's pattern: phone-number-id-... or arn:...:phone-number-id/..., at most 115 characters.
    private static string ParseOriginationId(string name, string value) =>
        value.Length <= 115
        && (value.StartsWith("phone-number-id-", StringComparison.Ordinal) && value.Length > "phone-number-id-".Length
            || value.StartsWith("arn:", StringComparison.Ordinal) && value.Split(":phone-number-id/") is [_, { Length: > 0 } id] && id.All(char.IsAsciiLetterOrDigit))
            ? value
            : throw new ConfigurationException($"{name} '{value}' is not an origination phone number id (phone-number-id-... or its ARN).");

    private static string[] ParseOriginationIds(string? value) => value is null
        ? []
        : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => ParseOriginationId("AWS_EUMS_PHONE_NUMBER_IDS", id))];

    private static string[] ParsePhoneNumberIds(string? value)
    {
        if (value is null)
        {
            return [];
        }

        var ids = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return ids.FirstOrDefault(id => !id.All(char.IsAsciiDigit)) is { } bad
            ? throw new ConfigurationException($"WHATSAPP_PHONE_NUMBER_IDS holds '{bad}': give numeric WhatsApp phone number ids, comma-separated.")
            : [.. ids.Distinct(StringComparer.Ordinal)];
    }

    private static string[] ParseKeywords(Func<string, string?> get, string name, string[] fallback)
    {
        var value = get(name);
        if (value is null)
        {
            return fallback;
        }

        var keywords = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return keywords.Length > 0 ? keywords : throw new ConfigurationException($"{name} '{value}' must list at least one word, comma-separated.");
    }

    private static Uri ParseGraphBaseUrl(string? value)
    {
        if (value is null)
        {
            return new Uri("https://graph.facebook.com");
        }

        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new ConfigurationException($"WHATSAPP_API_BASE_URL '{value}' is not an http(s) URL.");
        }

        // Request paths are appended to the base URL: a query or fragment would end up in the middle of them.
        if (value.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            throw new ConfigurationException($"WHATSAPP_API_BASE_URL '{value}' must not have a query or fragment: give the Graph host such as https://graph.facebook.com.");
        }

        // The bearer token would travel in clear text anywhere but this machine.
        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            throw new ConfigurationException($"WHATSAPP_API_BASE_URL '{value}' must use https (http is allowed only for loopback hosts).");
        }

        return uri;
    }

    private static bool IsGraphVersion(string version)
    {
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        return version.StartsWith('v') && dot > 1 && dot < version.Length - 1
            && version.AsSpan(1, dot - 1).IndexOfAnyExceptInRange('0', '9') < 0
            && version.AsSpan(dot + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static int? ParseInt(Func<string, string?> get, string name, int? fallback, int min, int max)
    {
        var value = get(name);
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            throw new ConfigurationException($"{name} '{value}' must be a whole number from {min} to {max}.");
        }

        return parsed;
    }

    private static string? ParseDigits(Func<string, string?> get, string name) => get(name) switch
    {
        null => null,
        var v when v.All(char.IsAsciiDigit) => v,
        var v => throw new ConfigurationException($"{name} '{v}' must be the numeric id."),
    };

    /// <summary>The category comes from the template listing, and only Graph has the Marketing Messages API.</summary>
    private static bool ParseMarketingMessages(Func<string, string?> get, MessageTransportKind transport)
    {
        if (!ParseBool(get, "WHATSAPP_MARKETING_MESSAGES"))
        {
            return false;
        }

        return transport != MessageTransportKind.Meta
            ? throw new ConfigurationException("WHATSAPP_MARKETING_MESSAGES is for WHATSAPP_TRANSPORT=meta: End User Messaging Social sends through /messages only.")
            : get("WHATSAPP_BUSINESS_ACCOUNT_ID") is null
            ? throw new ConfigurationException("WHATSAPP_MARKETING_MESSAGES needs WHATSAPP_BUSINESS_ACCOUNT_ID: a template's category comes from the account's template listing.")
            : true;
    }

    private static bool ParseBool(Func<string, string?> get, string name) => get(name) switch
    {
        null => false,
        var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" => true,
        var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) || v == "0" => false,
        var v => throw new ConfigurationException($"{name} '{v}' must be true or false."),
    };

    private static Uri? ParseUri(Func<string, string?> get, string name)
    {
        var value = get(name);
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException($"{name} '{value}' is not an http(s) URL.");
    }

    /// <summary>A Parameter Store path such as <c>/whatsapp/campaigns</c>: hierarchical names start with '/'.</summary>
    private static string? ParseParameterPrefix(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var prefix = value.TrimEnd('/');
        return prefix.StartsWith('/') && prefix.Length > 1 && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '.' or '-')
            ? prefix
            : throw new ConfigurationException(
                $"CONNECT_DATA_PARAMETER_PREFIX '{value}' must be a Parameter Store path such as /whatsapp/campaigns (letters, digits, /_.-).");
    }

    private static string? ParseRegion(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var region = value.ToUpperInvariant();
        if (region.Length != 2 || !region.All(char.IsAsciiLetterUpper))
        {
            throw new ConfigurationException($"WHATSAPP_DEFAULT_REGION '{value}' must be a two-letter country code such as DE.");
        }

        // "UK" is the usual slip: ISO 3166 names the United Kingdom GB.
        return PhoneNumberNormalizer.IsKnownRegion(region)
            ? region
            : throw new ConfigurationException(region == "UK"
                ? $"WHATSAPP_DEFAULT_REGION '{value}' is not an ISO 3166 region code: the United Kingdom is GB."
                : $"WHATSAPP_DEFAULT_REGION '{value}' is not a region code libphonenumber knows: expected an ISO 3166 code such as DE.");
    }

    private static string ParseLanguage(string? value) => value is null
        ? "en_US"
        : Personalization.LanguageSelector.ToWhatsAppCode(value)
            ?? throw new ConfigurationException($"WHATSAPP_DEFAULT_LANGUAGE '{value}' is not a language code such as en_US or es.");

    private static LogLevel ParseLogLevel(string? value) => value is null
        ? LogLevel.Information
        : Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new ConfigurationException($"LOG_LEVEL '{value}' must be Debug, Information, Warning or Error.");
}
