namespace WhatsAppChannel.Sandbox;

/// <summary>How a <see cref="SandboxServer"/> behaves: credentials it accepts, templates it knows and faults it injects.</summary>
public sealed record SandboxOptions
{
    /// <summary>Recipients ending in these digits are always undeliverable (131026), so a sample event can show that failure.</summary>
    public const string ReservedUndeliverableSuffix = "99999";

    /// <summary>Recipients ending in these digits are accepted, then fail with 131049
    /// (per-user marketing limit) in their status webhook.</summary>
    public const string MarketingLimitSuffix = "1049";

    /// <summary>Recipients ending in these digits are accepted, then fail with 131026
    /// (undeliverable) in their status webhook.</summary>
    public const string UndeliverableAfterSendSuffix = "1026";

    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token requests must carry.</summary>
    public string AccessToken { get; init; } = "sandbox-token";

    /// <summary>The only business phone number id the sandbox knows.</summary>
    public string PhoneNumberId { get; init; } = "100000000000001";

    /// <summary>The only WhatsApp Business Account id the template listing knows (and status webhooks name).</summary>
    public string BusinessAccountId { get; init; } = "100000000000002";

    /// <summary>The only origination phone number id <c>/v1/whatsapp/send</c> knows (AWS End User Messaging Social).</summary>
    public string OriginationPhoneNumberId { get; init; } = "phone-number-id-5a4db0c0c0de4a11b0a7000000000001";

    /// <summary>Template registry file; null = samples/templates.json found above the app directory, else the embedded copy.</summary>
    public string? TemplatesFile { get; init; }

    /// <summary>Delay added to every send request before it is answered.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Share of send requests (0..1) answered with HTTP 500 (code 1) or 503 (code 2).</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Accepted messages allowed in any one-second window before 130429; null = no cap.</summary>
    public int? MessagesPerSecondCap { get; init; }

    /// <summary>Minimum gap between two accepted messages to the same recipient before 131056; null = off.</summary>
    public TimeSpan? PairRateWindow { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Recipients answered with 131026, in addition to the reserved ones (numbers ending in <see cref="ReservedUndeliverableSuffix"/>).
    /// An entry starting with '*' matches by suffix.
    /// </summary>
    public IReadOnlyCollection<string> UndeliverableNumbers { get; init; } = [];

    /// <summary>Seed for the fault-injection random source, so tests are deterministic; null = unseeded.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>Where to post signed status webhooks for accepted messages, as Meta would; null = none (the preview page
    /// still shows the statuses as they would go out).</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The app secret status webhooks are signed with (<c>X-Hub-Signature-256</c>).</summary>
    public string WebhookAppSecret { get; init; } = "sandbox-app-secret";

    /// <summary>The pause before each status webhook of a message (sent, delivered, read).</summary>
    public TimeSpan StatusDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The clock the throughput cap and the pair rate window are measured on; tests step a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Called after each message is accepted (from a request thread).</summary>
    public Action<SandboxMessage>? OnAccepted { get; init; }
}
