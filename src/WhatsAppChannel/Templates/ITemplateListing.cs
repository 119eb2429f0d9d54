namespace WhatsAppChannel.Templates;

/// <summary>Reads the account's template listing (the seam in front of Meta's API).</summary>
internal interface ITemplateListing
{
    /// <exception cref="TemplateListingException">The listing cannot be read.</exception>
    Task<IReadOnlyList<TemplateDefinition>> ListAsync(CancellationToken cancellationToken);
}
