using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Planning;

public sealed class PhoneNumberNormalizerTests
{
    private static readonly string[] Regions = ["DE", "AT", "IT", "IN", "JP", "ID", "NG", "CN", "BR", "US", "GB"];

    [Theory]
    [InlineData("8613800138000", "8613800138000")]
    [InlineData("+86 138 0013 8000", "8613800138000")]
    [InlineData("+1 (415) 555-0142", "14155550142")]
    [InlineData("+1.415.555.0142", "14155550142")]
    [InlineData("0044 7700 900123", "447700900123")]
    [InlineData(" +447700900123 ", "447700900123")]
    public void Numbers_with_a_country_code_normalize_to_E164_digits(string address, string expected)
    {
        Assert.Equal(NormalizedAddress.To(expected), new PhoneNumberNormalizer(null).Normalize(address));
    }

    [Theory]
    [InlineData("030 1234567", "DE", "49301234567")]
    [InlineData("0664 1234567", "AT", "436641234567")]
    [InlineData("07700 900123", "GB", "447700900123")]
    [InlineData("098765 43210", "IN", "919876543210")]
    [InlineData("090-1234-5678", "JP", "819012345678")]
    [InlineData("0812-3456-7890", "ID", "6281234567890")]
    [InlineData("0803 123 4567", "NG", "2348031234567")]
    [InlineData("(11) 98765-4321", "BR", "5511987654321")]
    [InlineData("4155550142", "US", "14155550142")]
    [InlineData("3105550123", "US", "13105550123")]
    [InlineData("9876543210", "IN", "919876543210")]
    [InlineData("13800138000", "CN", "8613800138000")]
    [InlineData("3123456789", "IT", "393123456789")]
    [InlineData("11987654321", "BR", "5511987654321")]
    [InlineData("15112345678", "DE", "4915112345678")]
    // libphonenumber holds +44 7700 900xxx (Ofcom's drama range) as possible but not valid.
    [InlineData("447700900123", "DE", "49447700900123")]
    public void National_numbers_use_the_default_region(string address, string region, string expected)
    {
        Assert.Equal(NormalizedAddress.To(expected), new PhoneNumberNormalizer(region).Normalize(address));
    }

    /// <summary>Numbers that carry their country code without '+' (as Pinpoint often stores them) are never
    /// re-prefixed with the region's code, whatever the region.</summary>
    [Theory]
    [InlineData("+14155550123", "14155550123")]
    [InlineData("14155550123", "14155550123")]
    [InlineData("+4915112345678", "4915112345678")]
    [InlineData("+447700900123", "447700900123")]
    [InlineData("8613800138000", "8613800138000")]
    [InlineData("919876543210", "919876543210")]
    [InlineData("2348031234567", "2348031234567")]
    [InlineData("0049 151 12345678", "4915112345678")]
    public void A_number_with_a_country_code_goes_to_that_number_in_every_region(string address, string expected)
    {
        Assert.All(Regions, region =>
        {
            var normalized = new PhoneNumberNormalizer(region).Normalize(address);
            Assert.True(
                normalized == NormalizedAddress.To(expected) || normalized == NormalizedAddress.Ambiguous,
                $"{address} in {region} became {normalized}");
        });
    }

    [Theory]
    [InlineData("14155550123", "DE")]
    [InlineData("14155550123", "IT")]
    [InlineData("14155550123", "IN")]
    [InlineData("14155550123", "JP")]
    [InlineData("14155550123", "NG")]
    [InlineData("14155550123", "BR")]
    [InlineData("14155550123", "GB")]
    [InlineData("8613800138000", "AT")]
    [InlineData("8613800138000", "IT")]
    [InlineData("8613800138000", "IN")]
    [InlineData("8613800138000", "JP")]
    [InlineData("8613800138000", "BR")]
    [InlineData("919876543210", "CN")]
    [InlineData("2348031234567", "ID")]
    [InlineData("5511987654321", "NG")]
    [InlineData("4915112345678", "US")]
    public void A_valid_international_reading_wins_over_an_invalid_national_one(string address, string region)
    {
        Assert.Equal(NormalizedAddress.To(address), new PhoneNumberNormalizer(region).Normalize(address));
    }

    /// <summary>Both readings are valid numbers, or both only possible ones, and they differ: the endpoint is
    /// skipped, not guessed.</summary>
    [Theory]
    [InlineData("447911123456", "DE")]
    [InlineData("4915112345678", "DE")]
    [InlineData("8613800138000", "DE")]
    [InlineData("14155550123", "AT")]
    [InlineData("447700900123", "AT")]
    [InlineData("447700900123", "IT")]
    [InlineData("447700900123", "IN")]
    [InlineData("447700900123", "JP")]
    [InlineData("447700900123", "ID")]
    [InlineData("447700900123", "NG")]
    [InlineData("447700900123", "CN")]
    [InlineData("819012345678", "ID")]
    [InlineData("81234567890", "ID")]
    [InlineData("15012345678", "CN")]
    [InlineData("6465550123", "US")]
    public void Two_different_possible_readings_are_ambiguous(string address, string region)
    {
        Assert.Equal(NormalizedAddress.Ambiguous, new PhoneNumberNormalizer(region).Normalize(address));
    }

    [Theory]
    [InlineData("mary@example.com")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("12")]
    [InlineData("+1 2")]
    [InlineData("+")]
    [InlineData("00")]
    [InlineData("not a number")]
    [InlineData("+999 1234567890123456")]
    public void Impossible_addresses_are_invalid(string? address)
    {
        Assert.Equal(NormalizedAddress.Invalid, new PhoneNumberNormalizer("US").Normalize(address));
    }

    /// <summary>libphonenumber would read these as other numbers (keypad letters, extensions, cut-offs).</summary>
    [Theory]
    [InlineData("+1 415 555 XXXX")]
    [InlineData("+1-800-FLOWERS")]
    [InlineData("86 138 0013 81x3")]
    [InlineData("+86138001380AB")]
    [InlineData("8#000")]
    [InlineData("+1 415 555 0142 ext 12")]
    [InlineData("+1 415 555 0142 x12")]
    [InlineData("+1 415 555 0142;ext=12")]
    [InlineData("+1 415 555 0142#")]
    [InlineData("*141*5550142")]
    [InlineData("+1 415/555 0142")]
    [InlineData("++14155550142")]
    [InlineData("+1 +4155550142")]
    [InlineData("tel:+14155550142")]
    [InlineData("+1\t4155550142")]
    [InlineData("+１４１５５５５０１４２")]
    public void Addresses_with_anything_but_digits_and_separators_are_invalid(string address)
    {
        Assert.All(Regions.Append<string?>(null), region =>
            Assert.Equal(NormalizedAddress.Invalid, new PhoneNumberNormalizer(region).Normalize(address)));
    }

    [Fact]
    public void A_megabyte_address_is_invalid_without_exhausting_the_stack()
    {
        Assert.Equal(NormalizedAddress.Invalid, new PhoneNumberNormalizer("DE").Normalize("+1" + new string(' ', 1024 * 1024) + "4155550142"));
    }

    [Fact]
    public void Only_regions_libphonenumber_knows_are_known()
    {
        Assert.All(Regions, region => Assert.True(PhoneNumberNormalizer.IsKnownRegion(region), region));
        Assert.False(PhoneNumberNormalizer.IsKnownRegion("UK"));
        Assert.False(PhoneNumberNormalizer.IsKnownRegion("ZZ"));
        Assert.Equal(SkipReasons.AmbiguousAddress, NormalizedAddress.Ambiguous.SkipReason);
    }
}
