using FsCheck;
using WhatsAppChannel.Personalization;

namespace WhatsAppChannel.Tests.Personalization;

public sealed class PlaceholderTextTests
{
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["User.UserAttributes.FirstName"] = "Mary",
        ["Attributes.City"] = "Zürich",
        ["Blank"] = "  ",
    };

    private static TextResolution Resolve(string text) => PlaceholderText.Parse(text).Resolve(Fields, static (fields, path) => fields.GetValueOrDefault(path));

    [Theory]
    [InlineData("{{User.UserAttributes.FirstName}}", "Mary")]
    [InlineData("Hi {{User.UserAttributes.FirstName}}!", "Hi Mary!")]
    [InlineData("{{ User.UserAttributes.FirstName }}", "Mary")]
    [InlineData("{{User.UserAttributes.FirstName}} from {{Attributes.City}}", "Mary from Zürich")]
    [InlineData("{{Missing|friend}}", "friend")]
    [InlineData("Hi {{Missing|dear customer}}", "Hi dear customer")]
    [InlineData("{{Blank|fallback}}", "fallback")]
    [InlineData("{{User.UserAttributes.FirstName|ignored}}", "Mary")]
    [InlineData("{{Missing|a|b}}", "a|b")]
    [InlineData("Hi {{Missing|}}!", "Hi !")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("{single}", "{single}")]
    [InlineData("}} {", "}} {")]
    [InlineData("price: 5 }}", "price: 5 }}")]
    [InlineData("{{User.UserAttributes.FirstName}}}}", "Mary}}")]
    public void Placeholders_resolve_with_literal_text_kept(string text, string expected)
    {
        var resolution = Resolve(text);

        Assert.True(resolution.IsResolved, resolution.SkipReason);
        Assert.Equal(expected, resolution.Value);
    }

    [Theory]
    [InlineData("{{Missing}}", "missing-value:Missing")]
    [InlineData("Hi {{User.UserAttributes.LastName}}", "missing-value:User.UserAttributes.LastName")]
    [InlineData("{{Blank}}", "missing-value:Blank")]
    [InlineData("{{Missing|}}", "missing-value:Missing")]
    [InlineData("{{Missing| }}", "missing-value:Missing")]
    [InlineData(" {{Missing| }} ", "missing-value:Missing")]
    [InlineData("{{Blank|}}{{Missing|\t}}", "missing-value:Blank")]
    [InlineData("{{}}", "invalid-placeholder:{{}}")]
    [InlineData("a {{ |x}}", "invalid-placeholder:{{ |x}}")]
    public void A_placeholder_without_value_or_fallback_gives_the_skip_reason(string text, string reason)
    {
        var resolution = Resolve(text);

        Assert.False(resolution.IsResolved);
        Assert.Equal(reason, resolution.SkipReason);
    }

    [Theory]
    [InlineData("{{User.UserAttributes.FirstName}", "{{User.UserAttributes.FirstName}")]
    [InlineData("your {{Attributes.Item|order}", "{{Attributes.Item|order}")]
    [InlineData("{{ unclosed", "{{ unclosed")]
    [InlineData("}} {{", "{{")]
    [InlineData("{{A}} {{B", "{{B")]
    [InlineData("{{A {{B}}", "{{A ")]
    [InlineData("{User.UserAttributes.FirstName}}", "{User.UserAttributes.FirstName}}")]
    [InlineData("your {Attributes.Item|order}}", "{Attributes.Item|order}}")]
    [InlineData("Hi User.FirstName}}", "Hi User.FirstName}}")]
    [InlineData("{{A}} then B}}", " then B}}")]
    [InlineData("line\n{{A", "{{A")]
    [InlineData("{{A\nB", "{{A B")]
    public void An_unclosed_placeholder_is_reported_with_an_excerpt(string text, string excerpt)
    {
        Assert.Equal(excerpt, PlaceholderText.Parse(text).Unclosed);
    }

    [Fact]
    public void An_excerpt_is_one_short_line_without_half_a_surrogate_pair()
    {
        var excerpt = PlaceholderText.Parse("{{" + new string('x', 57) + "🎉🎉").Unclosed!;

        Assert.Equal(60, excerpt.Length);
        Assert.EndsWith("x ", excerpt, StringComparison.Ordinal);
        Assert.Null(PlaceholderText.Parse("{{A}} {{B|c}}").Unclosed);
    }

    [Fact]
    public void Values_are_not_expanded_again()
    {
        var resolution = PlaceholderText.Parse("{{A}}").Resolve(0, (_, _) => "{{B}}");
        Assert.Equal("{{B}}", resolution.Value);
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool The_resolver_never_throws_for_any_string(string? text, string? value)
    {
        var parsed = PlaceholderText.Parse(text ?? string.Empty);
        var resolution = parsed.Resolve(0, (_, _) => value);
        return resolution.IsResolved != (resolution.SkipReason is not null);
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool Text_without_double_braces_is_returned_unchanged(NonNull<string> text)
    {
        var value = text.Get.Replace("{{", "{", StringComparison.Ordinal);
        if (value.Contains("{{", StringComparison.Ordinal))
        {
            return true;
        }

        var resolution = PlaceholderText.Parse(value).Resolve(0, (_, _) => throw new InvalidOperationException("no lookups expected"));
        return resolution.Value == value;
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool A_resolved_text_never_contains_a_placeholder_that_was_filled(NonEmptyString name)
    {
        var path = name.Get.Replace("}", string.Empty, StringComparison.Ordinal).Replace("|", string.Empty, StringComparison.Ordinal).Replace("{", string.Empty, StringComparison.Ordinal).Trim();
        if (path.Length == 0)
        {
            return true;
        }

        var resolution = PlaceholderText.Parse("x{{" + path + "}}y").Resolve(0, (_, _) => "V");
        return resolution.Value == "xVy";
    }
}
