namespace WhatsAppChannel.TestSupport;

/// <summary>A send request as the scripted Graph server saw it.</summary>
/// <param name="Number">1-based position among all requests.</param>
/// <param name="RecipientCall">1-based position among the requests to the same <c>to</c>.</param>
/// <param name="To">The body's <c>to</c>, or empty when the body is not the expected JSON.</param>
internal sealed record GraphCall(
    int Number,
    int RecipientCall,
    string To,
    string Method,
    string Path,
    string? Authorization,
    string? ContentType,
    string Body)
{
    /// <summary>When the server had read the request.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}
