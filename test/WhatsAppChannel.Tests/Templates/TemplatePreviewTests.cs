using System.Text.Json;
using WhatsAppChannel.Templates;

namespace WhatsAppChannel.Tests.Templates;

public sealed class TemplatePreviewTests
{
    private static TemplateDefinition Listed(int index) =>
        TemplateListingPage.Read(System.Text.Encoding.UTF8.GetBytes(MetaListing.Page(MetaListing.SecondPageTemplates, null))).Templates[index];

    private static string Render(TemplateDefinition definition, string components)
    {
        using var document = JsonDocument.Parse(components);
        return TemplatePreview.Render(definition.Texts!, document.RootElement);
    }

    [Fact]
    public void Fills_header_body_and_url_suffix_and_keeps_footer_and_buttons_in_order()
    {
        var text = Render(Listed(0), """
            [{"type":"header","parameters":[{"type":"text","text":"A-17"}]},
             {"type":"body","parameters":[{"type":"text","text":"Ann"},{"type":"text","text":"Friday"}]},
             {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"ZX81"}]}]
            """);

        Assert.Equal(
            "Order A-17\nAnn ships on Friday; Ann, track it below.\nReply STOP to opt out\n[Call]\n[Track] https://example.com/track/ZX81",
            text);
    }

    [Fact]
    public void A_media_header_shows_its_format_and_a_missing_parameter_stays_a_placeholder()
    {
        Assert.Equal("[IMAGE]\nShop now", Render(Listed(1), """[{"type":"header","parameters":[{"type":"image","image":{"link":"https://x/y.png"}}]}]"""));
        Assert.Equal("Order {{1}}\nAnn ships on {{2}}; Ann, track it below.\nReply STOP to opt out\n[Call]\n[Track] https://example.com/track/{{1}}",
            Render(Listed(0), """[{"type":"body","parameters":[{"type":"text","text":"Ann"}]}]"""));
    }

    [Fact]
    public void Named_placeholders_take_the_parameter_of_that_name()
    {
        var definition = TemplateListingPage.Read("""
            {"data":[{"name":"n","language":"en","status":"APPROVED","components":[{"type":"BODY","text":"Hi {{first_name}}, order {{order}}"}]}]}
            """u8).Templates[0];

        Assert.Equal("Hi Mary, order 7", Render(definition, """
            [{"type":"body","parameters":[{"type":"text","parameter_name":"order","text":"7"},{"type":"text","parameter_name":"first_name","text":"Mary"}]}]
            """));
    }
}
