using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Tests.Throughput;

public sealed class ThroughputConfigurationTests
{
    private static FunctionConfiguration From(params (string Name, string Value)[] values)
    {
        var map = values.Append(("FB_BUSINESS_PHONE_ID", "111")).Append(("FB_APP_TOKEN", "t")).ToDictionary(v => v.Item1, v => v.Item2);
        return FunctionConfiguration.FromLookup(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void A_number_sends_eighty_messages_a_second_fifty_at_a_time_by_default()
    {
        var config = From();

        Assert.Equal(80, config.ThroughputPerSecond);
        Assert.Equal(50, config.SendConcurrency);
        Assert.Empty(config.PhoneNumberIds);
    }

    [Fact]
    public void The_throughput_and_the_listed_numbers_are_read()
    {
        var config = From(("WHATSAPP_THROUGHPUT_PER_SECOND", "1000"), ("WHATSAPP_PHONE_NUMBER_IDS", " 222, 333,,222 "));

        Assert.Equal(1000, config.ThroughputPerSecond);
        Assert.Equal(["222", "333"], config.PhoneNumberIds);
    }

    [Theory]
    [InlineData("WHATSAPP_THROUGHPUT_PER_SECOND", "0")]
    [InlineData("WHATSAPP_THROUGHPUT_PER_SECOND", "fast")]
    [InlineData("WHATSAPP_PHONE_NUMBER_IDS", "222,+14155550123")]
    [InlineData("WHATSAPP_PHONE_NUMBER_IDS", "222;333")]
    public void A_malformed_value_names_its_variable(string name, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => From((name, value)));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
