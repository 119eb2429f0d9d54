using WhatsAppChannel.Templates;
using WhatsAppChannel.TestSupport;

namespace WhatsAppChannel.Tests.Templates;

public sealed class TemplateCatalogTests
{
    private static readonly TemplateDefinition OrderEn = new("ordertimeoutnotification", "en_US", "APPROVED", "UTILITY", 0, 2, []);
    private static readonly TemplateDefinition Other = new("summer_sale", "en_US", "APPROVED", "MARKETING", 0, 0, []);

    private sealed class GatedListing : ITemplateListing
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls;
        public bool Fail;

        public async Task<IReadOnlyList<TemplateDefinition>> ListAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            await Gate.Task.WaitAsync(cancellationToken);
            return Fail ? throw new TemplateListingException("the template listing answered HTTP 500") : [OrderEn, Other];
        }
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch_and_get_only_their_template()
    {
        var listing = new GatedListing();
        var catalog = new TemplateCatalog(listing, TimeSpan.FromSeconds(600), TestClock.Create());

        var callers = Enumerable.Range(0, 20).Select(_ => catalog.GetAsync("ordertimeoutnotification", CancellationToken.None)).ToList();
        listing.Gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, listing.Calls);
        Assert.All(results, r => Assert.Equal([OrderEn], r));
    }

    [Fact]
    public async Task Definitions_are_reused_until_the_lifetime_ends()
    {
        var listing = new GatedListing();
        listing.Gate.SetResult();
        var clock = TestClock.Create();
        var catalog = new TemplateCatalog(listing, TimeSpan.FromSeconds(600), clock);

        await catalog.GetAsync("ordertimeoutnotification", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(599));
        await catalog.GetAsync("ordertimeoutnotification", CancellationToken.None);
        Assert.Equal(1, listing.Calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        await catalog.GetAsync("ordertimeoutnotification", CancellationToken.None);
        Assert.Equal(2, listing.Calls);
    }

    [Fact]
    public async Task A_failed_read_is_reported_to_every_waiter_and_retried_after_a_minute()
    {
        var listing = new GatedListing { Fail = true };
        var clock = TestClock.Create();
        var catalog = new TemplateCatalog(listing, TimeSpan.FromSeconds(600), clock);

        var first = catalog.GetAsync("ordertimeoutnotification", CancellationToken.None);
        var second = catalog.GetAsync("ordertimeoutnotification", CancellationToken.None);
        listing.Gate.SetResult();
        await Assert.ThrowsAsync<TemplateListingException>(() => first);
        await Assert.ThrowsAsync<TemplateListingException>(() => second);
        await Assert.ThrowsAsync<TemplateListingException>(() => catalog.GetAsync("ordertimeoutnotification", CancellationToken.None));
        Assert.Equal(1, listing.Calls);

        listing.Fail = false;
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal([OrderEn], await catalog.GetAsync("ordertimeoutnotification", CancellationToken.None));
        Assert.Equal(2, listing.Calls);
    }
}
