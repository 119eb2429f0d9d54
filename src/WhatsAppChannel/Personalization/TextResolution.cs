namespace WhatsAppChannel.Personalization;

/// <summary>The result of filling one text: the value, or why the endpoint cannot be personalized.</summary>
internal readonly record struct TextResolution(string? Value, string? SkipReason)
{
    public bool IsResolved => Value is not null;

    public static TextResolution Resolved(string value) => new(value, null);

    public static TextResolution Missing(string path) => new(null, "missing-value:" + path);

    public static TextResolution Invalid(string placeholder) => new(null, "invalid-placeholder:" + placeholder);
}
