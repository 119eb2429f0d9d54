namespace WhatsAppChannel.Templates;

/// <summary>One template in one language as Meta's listing describes it: what a send's components must supply.</summary>
/// <param name="HeaderParameters">The distinct <c>{{n}}</c> placeholders of a text header; 0 for none or media.</param>
/// <param name="BodyParameters">The distinct <c>{{n}}</c> placeholders of the body text.</param>
/// <param name="UrlSuffixButtons">Indexes (among all buttons) of URL buttons whose URL ends in a placeholder.</param>
internal sealed record TemplateDefinition(
    string Name,
    string Language,
    string Status,
    string? Category,
    int HeaderParameters,
    int BodyParameters,
    IReadOnlyList<int> UrlSuffixButtons)
{
    /// <summary>The texts the recipient reads; null when the listing gave no body.</summary>
    public TemplateTexts? Texts { get; init; }

    public bool IsApproved => string.Equals(Status, "APPROVED", StringComparison.OrdinalIgnoreCase);
}
