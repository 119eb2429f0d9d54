using WhatsAppChannel.Errors;
using WhatsAppChannel.Hosting;

namespace WhatsAppChannel.Tests.Hosting;

public sealed class AwsTransportConfigurationTests
{
    private const string OriginationId = "phone-number-id-0123456789abcdef0123456789abcdef";

    private static FunctionConfiguration From(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value);
        return FunctionConfiguration.FromLookup(name => map.GetValueOrDefault(name));
    }

    private static string Fail(params (string Name, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => From(values)).Message;

    [Fact]
    public void The_default_transport_is_meta()
    {
        Assert.Equal(MessageTransportKind.Meta, From(("FB_BUSINESS_PHONE_ID", "1"), ("FB_APP_TOKEN", "t")).Transport);
    }

    [Fact]
    public void The_aws_transport_needs_no_meta_token_nor_meta_phone_number_id()
    {
        var config = From(("WHATSAPP_TRANSPORT", "AWS"), ("AWS_EUMS_PHONE_NUMBER_ID", OriginationId), ("AWS_REGION", "eu-west-1"));

        Assert.Equal(MessageTransportKind.Aws, config.Transport);
        Assert.Equal(OriginationId, config.PhoneNumberId);
        Assert.Null(config.SecretArn);
        Assert.Null(config.AppToken);
        Assert.Null(config.SocialMessagingEndpoint);
        Assert.Empty(config.PhoneNumberIds);
    }

    [Fact]
    public void The_aws_transport_ignores_meta_credentials_left_in_the_environment()
    {
        var config = From(
            ("WHATSAPP_TRANSPORT", "aws"), ("AWS_EUMS_PHONE_NUMBER_ID", OriginationId), ("AWS_REGION", "eu-west-1"),
            ("FB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x"), ("FB_APP_TOKEN", "t"), ("FB_BUSINESS_PHONE_ID", "123"));

        Assert.Null(config.SecretArn);
        Assert.Null(config.AppToken);
        Assert.Equal(OriginationId, config.PhoneNumberId);
    }

    [Fact]
    public void A_missing_origination_id_is_one_line_naming_AWS_EUMS_PHONE_NUMBER_ID()
    {
        var message = Fail(("WHATSAPP_TRANSPORT", "aws"), ("AWS_REGION", "eu-west-1"), ("FB_BUSINESS_PHONE_ID", "123"), ("FB_APP_TOKEN", "t"));

        Assert.StartsWith("AWS_EUMS_PHONE_NUMBER_ID", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("WHATSAPP_TRANSPORT", "graph")]
    [InlineData("AWS_EUMS_PHONE_NUMBER_ID", "123456789")]
    [InlineData("AWS_EUMS_PHONE_NUMBER_ID", "phone-number-id-")]
    [InlineData("AWS_EUMS_PHONE_NUMBER_ID", "arn:aws:social-messaging:eu-west-1:123456789012:phone-number-id/")]
    [InlineData("AWS_EUMS_PHONE_NUMBER_IDS", "phone-number-id-abc,1234")]
    [InlineData("AWS_REGION", "")]
    [InlineData("AWS_ENDPOINT_URL_SOCIALMESSAGING", "not a url")]
    public void A_bad_value_is_one_line_naming_the_variable(string name, string value)
    {
        var values = new Dictionary<string, string>
        {
            ["WHATSAPP_TRANSPORT"] = "aws",
            ["AWS_EUMS_PHONE_NUMBER_ID"] = OriginationId,
            ["AWS_REGION"] = "eu-west-1",
            [name] = value,
        };

        var message = Fail([.. values.Select(v => (v.Key, v.Value))]);

        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Origination_ids_ARNs_the_allowed_list_and_the_endpoint_override_are_read()
    {
        var arn = "arn:aws:social-messaging:eu-west-1:123456789012:phone-number-id/0123456789abcdef0123456789abcdef";
        var config = From(
            ("WHATSAPP_TRANSPORT", "aws"), ("AWS_EUMS_PHONE_NUMBER_ID", arn), ("AWS_REGION", "eu-west-1"),
            ("AWS_EUMS_PHONE_NUMBER_IDS", $" {OriginationId} , phone-number-id-fedcba "),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), ("AWS_ENDPOINT_URL_SOCIALMESSAGING", "http://127.0.0.1:2"));

        Assert.Equal(arn, config.PhoneNumberId);
        Assert.Equal([OriginationId, "phone-number-id-fedcba"], config.PhoneNumberIds);
        Assert.Equal(new Uri("http://127.0.0.1:2"), config.SocialMessagingEndpoint);
        Assert.Equal(
            new Uri("http://127.0.0.1:1"),
            From(("WHATSAPP_TRANSPORT", "aws"), ("AWS_EUMS_PHONE_NUMBER_ID", OriginationId), ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"))
                .SocialMessagingEndpoint);
    }
}
