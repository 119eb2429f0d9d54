namespace WhatsAppChannel.Templates;

/// <summary>The account's templates, cached per template name; one listing fetch however many batches ask at once.</summary>
internal sealed class TemplateCatalog(ITemplateListing listing, TimeSpan lifetime, TimeProvider time)
{
    /// <summary>A failed read is retried sooner than a good one expires, yet not by every batch.</summary>
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <returns>The definitions of <paramref name="templateName"/> in every language; empty when none.</returns>
    /// <exception cref="TemplateListingException">The listing cannot be read.</exception>
    public Task<IReadOnlyList<TemplateDefinition>> GetAsync(string templateName, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<TemplateDefinition>> fetch;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_entries.TryGetValue(templateName, out var entry) && !entry.IsExpired(now, lifetime))
            {
                return entry.Definitions.WaitAsync(cancellationToken);
            }

            // Not tied to one caller's token: other callers wait on the same fetch.
            fetch = FetchAsync(templateName);
            _entries[templateName] = new Entry(fetch, now);
        }

        return fetch.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<TemplateDefinition>> FetchAsync(string templateName)
    {
        await Task.Yield(); // Leave the lock before the request starts.
        var all = await listing.ListAsync(CancellationToken.None).ConfigureAwait(false);
        return [.. all.Where(d => string.Equals(d.Name, templateName, StringComparison.Ordinal))];
    }

    private sealed record Entry(Task<IReadOnlyList<TemplateDefinition>> Definitions, DateTimeOffset FetchedAt)
    {
        public bool IsExpired(DateTimeOffset now, TimeSpan lifetime) =>
            Definitions.IsCompleted && now - FetchedAt >= (Definitions.IsCompletedSuccessfully ? lifetime : TimeSpan.FromTicks(Math.Min(lifetime.Ticks, FailureLifetime.Ticks)));
    }
}
