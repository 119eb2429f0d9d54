using System.Text;
using System.Text.Json;
using WhatsAppChannel.Templates;

namespace WhatsAppChannel.Tests.Templates;

public sealed class TemplateCheckTests
{
    private static readonly IReadOnlyList<TemplateDefinition> Listing =
    [
        .. TemplateListingPage.Read(Encoding.UTF8.GetBytes(MetaListing.Page(MetaListing.FirstPageTemplates, null))).Templates,
        .. TemplateListingPage.Read(Encoding.UTF8.GetBytes(MetaListing.Page(MetaListing.SecondPageTemplates, null))).Templates,
    ];

    private static string? Check(string name, string? language, string components)
    {
        using var document = JsonDocument.Parse(components);
        return TemplateCheck.Verdict(Listing, name, language, document.RootElement.Clone());
    }

    private const string TwoBodyTexts = """[{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"a shirt"}]}]""";

    private const string ShippingGood = """
        [{"type":"header","parameters":[{"type":"text","text":"A-17"}]},
         {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"Monday"}]},
         {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"A-17"}]}]
        """;

    [Fact]
    public void Data_that_fits_passes()
    {
        Assert.Null(Check("ordertimeoutnotification", "en_US", TwoBodyTexts));
        Assert.Null(Check("ordertimeoutnotification", "es", TwoBodyTexts));
        Assert.Null(Check("shipping_update", "en_US", ShippingGood));
        Assert.Null(Check("summer_sale", "en_US", """[{"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/a.png"}}]}]"""));
    }

    [Fact]
    public void Too_many_body_parameters_names_template_language_and_counts() =>
        Assert.Equal(
            "template ordertimeoutnotification (en_US) body expects 2 parameters, Data gives 3",
            Check("ordertimeoutnotification", "en_US", """[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]}]"""));

    [Fact]
    public void An_unknown_template_is_not_found() =>
        Assert.Equal("template ordertimeoutnotificaton not found in the WhatsApp Business Account", Check("ordertimeoutnotificaton", "en_US", TwoBodyTexts));

    [Fact]
    public void A_language_not_approved_lists_the_approved_ones()
    {
        Assert.Equal(
            "template ordertimeoutnotification (de) is not approved in that language; approved: en_US, es",
            Check("ordertimeoutnotification", "de", TwoBodyTexts));
        Assert.Equal(
            "template ordertimeoutnotification (fr) is not approved in that language; approved: en_US, es",
            Check("ordertimeoutnotification", "fr", TwoBodyTexts));
    }

    [Fact]
    public void A_missing_header_parameter_is_named() =>
        Assert.Equal(
            "template shipping_update (en_US) header expects 1 parameters, Data gives 0",
            Check("shipping_update", "en_US", """[{"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"Monday"}]}]"""));

    [Fact]
    public void A_url_button_without_its_suffix_is_named() =>
        Assert.Equal(
            "template shipping_update (en_US) URL button 1 expects 1 suffix parameter, Data gives 0",
            Check("shipping_update", "en_US", """
                [{"type":"header","parameters":[{"type":"text","text":"A-17"}]},
                 {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"Monday"}]},
                 {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"A-17"}]}]
                """));

    [Fact]
    public void Without_a_fixed_language_the_counts_are_checked_against_an_approved_one() =>
        Assert.Equal(
            "template ordertimeoutnotification (en_US) body expects 2 parameters, Data gives 0",
            Check("ordertimeoutnotification", null, "[]"));
}
