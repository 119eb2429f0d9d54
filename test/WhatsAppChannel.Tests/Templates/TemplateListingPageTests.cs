using WhatsAppChannel.Templates;

namespace WhatsAppChannel.Tests.Templates;

public sealed class TemplateListingPageTests
{
    [Fact]
    public void Reads_counts_languages_statuses_and_the_next_page()
    {
        var page = TemplateListingPage.Read(System.Text.Encoding.UTF8.GetBytes(
            MetaListing.Page(MetaListing.FirstPageTemplates, "https://graph.facebook.com/v24.0/102290129340398/message_templates?after=MjQZD")));

        Assert.Equal(["en_US", "es", "de"], page.Templates.Select(t => t.Language));
        Assert.All(page.Templates, t => Assert.Equal(2, t.BodyParameters));
        Assert.Equal([true, true, false], page.Templates.Select(t => t.IsApproved));
        Assert.Empty(page.Templates[0].UrlSuffixButtons);
        Assert.Equal("https://graph.facebook.com/v24.0/102290129340398/message_templates?after=MjQZD", page.Next);
    }

    [Fact]
    public void Counts_distinct_placeholders_text_headers_only_and_url_buttons_by_position()
    {
        var page = TemplateListingPage.Read(System.Text.Encoding.UTF8.GetBytes(MetaListing.Page(MetaListing.SecondPageTemplates, null)));

        var shipping = page.Templates[0];
        Assert.Equal((1, 2), (shipping.HeaderParameters, shipping.BodyParameters));
        Assert.Equal([1], shipping.UrlSuffixButtons);
        Assert.Equal(0, page.Templates[1].HeaderParameters);
        Assert.Equal("MARKETING", page.Templates[1].Category);
        Assert.Null(page.Next);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"error":{"message":"(#200) Permissions error","code":200}}""")]
    [InlineData("""[1,2]""")]
    public void Refuses_what_is_not_a_listing(string body) =>
        Assert.Throws<TemplateListingException>(() => TemplateListingPage.Read(System.Text.Encoding.UTF8.GetBytes(body)));
}
