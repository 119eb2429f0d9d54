using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Planning;

public sealed class PhoneNumberNormalizerTests
{
    [Theory]
    [InlineData("8613800138000", "8613800138000")]
    [InlineData("+86 138 0013 8000", "8613800138000")]
    [InlineData("+1 (415) 555-0142", "14155550142")]
    [InlineData("0044 7700 900123", "447700900123")]
    [InlineData(" +447700900123 ", "447700900123")]
    public void Numbers_with_a_country_code_normalize_to_E164_digits(string address, string expected)
    {
        Assert.Equal(expected, new PhoneNumberNormalizer(null).Normalize(address));
    }

    [Theory]
    [InlineData("030 1234567", "DE", "49301234567")]
    [InlineData("07700 900123", "GB", "447700900123")]
    [InlineData("8613800138000", "US", "8613800138000")]
    [InlineData("4155550142", "US", "14155550142")]
    public void Numbers_without_a_country_code_use_the_default_region(string address, string region, string expected)
    {
        Assert.Equal(expected, new PhoneNumberNormalizer(region).Normalize(address));
    }

    [Theory]
    [InlineData("mary@example.com")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("12")]
    [InlineData("+1 2")]
    [InlineData("not a number")]
    [InlineData("+999 1234567890123456")]
    public void Impossible_addresses_give_null(string? address)
    {
        Assert.Null(new PhoneNumberNormalizer("US").Normalize(address));
    }
}
