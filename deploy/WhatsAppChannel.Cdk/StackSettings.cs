using System.Globalization;
using System.Text.RegularExpressions;

namespace WhatsAppChannel.Cdk;

/// <summary>How messages leave: straight to Meta's Graph API, or through AWS End User Messaging Social.</summary>
internal enum Transport
{
    Meta,
    Aws,
}

/// <summary>The deployment's choices, read from CDK context (<c>-c key=value</c> or cdk.json). A missing or malformed
/// value fails the synth with one line naming the key, before any resource exists.</summary>
internal sealed partial record StackSettings
{
    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    private static readonly int[] RetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public Transport Transport { get; init; } = Transport.Meta;
    public bool Arm64 { get; init; }
    public required string AssetPath { get; init; }
    public string? SecretArn { get; init; }
    public string? PinpointApplicationId { get; init; }
    public string? ConnectInstanceId { get; init; }
    public string ConnectDataParameterPrefix { get; init; } = "/whatsapp-channel/connect";
    public int ThroughputPerSecond { get; init; } = 80;
    public int? ReservedConcurrency { get; init; }
    public int MapMaxConcurrency { get; init; } = 4;
    public int LogRetentionDays { get; init; } = 30;
    public string? AlarmEmail { get; init; }
    public int FailedRatioAlarmPercent { get; init; } = 5;
    public string? OptOutKeywords { get; init; }
    public IReadOnlyList<string> PhoneNumberIds { get; init; } = [];

    /// <summary>Reads every setting through <paramref name="context"/> (the app's <c>Node.TryGetContext</c>).</summary>
    /// <exception cref="ArgumentException">A value is malformed; the message names its key.</exception>
    public static StackSettings FromContext(Func<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? Get(string key) => context(key)?.ToString() is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

        var transport = Get("transport") switch
        {
            null or "meta" => Transport.Meta,
            "aws" => Transport.Aws,
            var other => throw Invalid("transport", other, "meta or aws"),
        };
        var arm64 = Get("architecture") switch
        {
            null or "x86_64" => false,
            "arm64" => true,
            var other => throw Invalid("architecture", other, "x86_64 or arm64"),
        };

        var secretArn = Get("secretArn");
        if (secretArn is not null && !SecretArnPattern().IsMatch(secretArn))
        {
            throw Invalid("secretArn", secretArn, "the complete secret ARN (ending in -xxxxxx)");
        }

        if (secretArn is not null && transport == Transport.Aws)
        {
            throw Invalid("secretArn", secretArn, "no secret with transport aws (AWS holds the Meta credentials)");
        }

        var pinpoint = Get("pinpointApplicationId");
        if (pinpoint is not null && !PinpointIdPattern().IsMatch(pinpoint))
        {
            throw Invalid("pinpointApplicationId", pinpoint, "the 32-character Pinpoint project id");
        }

        var connect = Get("connectInstanceId");
        if (connect is not null && !Guid.TryParseExact(connect, "D", out _))
        {
            throw Invalid("connectInstanceId", connect, "the Amazon Connect instance id (a UUID)");
        }

        var prefix = Get("connectDataParameterPrefix") ?? "/whatsapp-channel/connect";
        if (!ParameterPrefixPattern().IsMatch(prefix))
        {
            throw Invalid("connectDataParameterPrefix", prefix, "a parameter path such as /whatsapp-channel/connect (no trailing slash)");
        }

        var retention = Int(Get, "logRetentionDays", 30, 1, 3653)!.Value;
        if (!RetentionDays.Contains(retention))
        {
            throw Invalid("logRetentionDays", retention.ToString(CultureInfo.InvariantCulture),
                "one of " + string.Join(", ", RetentionDays));
        }

        var email = Get("alarmEmail");
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            throw Invalid("alarmEmail", email, "an e-mail address");
        }

        var numbers = Get("phoneNumberIds")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var numberPattern = transport == Transport.Aws ? OriginationIdPattern() : MetaNumberIdPattern();
        if (numbers.FirstOrDefault(n => !numberPattern.IsMatch(n)) is { } badNumber)
        {
            throw Invalid("phoneNumberIds", badNumber, transport == Transport.Aws
                ? "origination ids (phone-number-id-...), comma-separated"
                : "numeric WhatsApp phone number ids, comma-separated");
        }

        var reserved = Int(Get, "reservedConcurrency", null, 1, 10_000);
        var mapConcurrency = Int(Get, "mapMaxConcurrency", 4, 1, 10_000)!.Value;
        if (mapConcurrency > reserved)
        {
            // The map would start more batches than the sender may run at once: Lambda throttles the rest.
            throw Invalid("mapMaxConcurrency", mapConcurrency.ToString(CultureInfo.InvariantCulture), $"at most reservedConcurrency ({reserved})");
        }

        return new StackSettings
        {
            Transport = transport,
            Arm64 = arm64,
            AssetPath = Get("assetPath") ?? Path.Combine("artifacts", arm64 ? "whatsapp-channel-arm64.zip" : "whatsapp-channel-x86_64.zip"),
            SecretArn = secretArn,
            PinpointApplicationId = pinpoint,
            ConnectInstanceId = connect,
            ConnectDataParameterPrefix = prefix,
            ThroughputPerSecond = Int(Get, "throughputPerSecond", 80, 1, 100_000)!.Value,
            ReservedConcurrency = reserved,
            MapMaxConcurrency = mapConcurrency,
            LogRetentionDays = retention,
            AlarmEmail = email,
            FailedRatioAlarmPercent = Int(Get, "failedRatioAlarmPercent", 5, 1, 100)!.Value,
            OptOutKeywords = Get("optOutKeywords"),
            PhoneNumberIds = numbers,
        };
    }

    private static int? Int(Func<string, string?> get, string key, int? fallback, int min, int max)
    {
        var text = get(key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(key, text, $"a whole number from {min} to {max}");
    }

    private static ArgumentException Invalid(string key, string value, string expected) =>
        new($"context '{key}' is '{value}': expected {expected}.");

    // The complete ARN, with the six characters Secrets Manager appends to the name.
    [GeneratedRegex(@"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$")]
    private static partial Regex SecretArnPattern();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex MetaNumberIdPattern();

    [GeneratedRegex("^phone-number-id-[A-Za-z0-9]+$")]
    private static partial Regex OriginationIdPattern();

    [GeneratedRegex("^[a-f0-9]{32}$")]
    private static partial Regex PinpointIdPattern();

    [GeneratedRegex(@"^(/[A-Za-z0-9_.-]+)+$")]
    private static partial Regex ParameterPrefixPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
