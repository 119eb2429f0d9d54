namespace WhatsAppChannel.Cdk.Tests;

/// <summary>Context values: defaults when absent, one line naming the key when malformed.</summary>
public sealed class StackSettingsTests
{
    private static StackSettings Read(params (string Key, string Value)[] context) =>
        StackSettings.FromContext(key => context.FirstOrDefault(c => c.Key == key).Value);

    [Fact]
    public void Defaults_are_meta_x86_64_no_Pinpoint_no_Connect_80_per_second_30_days()
    {
        var settings = Read();

        Assert.Equal(Transport.Meta, settings.Transport);
        Assert.False(settings.Arm64);
        Assert.Equal(Path.Combine("artifacts", "whatsapp-channel-x86_64.zip"), settings.AssetPath);
        Assert.Null(settings.SecretArn);
        Assert.Null(settings.PinpointApplicationId);
        Assert.Null(settings.ConnectInstanceId);
        Assert.Equal(80, settings.ThroughputPerSecond);
        Assert.Null(settings.ReservedConcurrency);
        Assert.Equal(30, settings.LogRetentionDays);
        Assert.Null(settings.AlarmEmail);
    }

    [Fact]
    public void Further_numbers_must_be_of_the_transports_kind()
    {
        Assert.Equal(["106540352242922", "106540352242923"], Read(("phoneNumberIds", "106540352242922, 106540352242923")).PhoneNumberIds);
        var error = Assert.Throws<ArgumentException>(() => Read(("transport", "aws"), ("phoneNumberIds", "phone-number-id-b2,106540352242922")));
        Assert.StartsWith("context 'phoneNumberIds' is '106540352242922'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_is_refused_with_the_aws_transport()
    {
        var error = Assert.Throws<ArgumentException>(() => Read(("transport", "aws"), ("secretArn", Deployments.ExistingSecret)));

        Assert.StartsWith("context 'secretArn'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arm64_packages_are_looked_for_under_their_own_name()
    {
        Assert.Equal(Path.Combine("artifacts", "whatsapp-channel-arm64.zip"), Read(("architecture", "arm64")).AssetPath);
    }

    [Theory]
    [InlineData("transport", "sms")]
    [InlineData("architecture", "x64")]
    [InlineData("secretArn", "whatsapp-token")]
    [InlineData("secretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp")]
    [InlineData("pinpointApplicationId", "my-app")]
    [InlineData("connectInstanceId", "instance/1234")]
    [InlineData("connectDataParameterPrefix", "whatsapp/")]
    [InlineData("throughputPerSecond", "0")]
    [InlineData("throughputPerSecond", "fast")]
    [InlineData("reservedConcurrency", "-1")]
    [InlineData("logRetentionDays", "8")]
    [InlineData("alarmEmail", "ops")]
    [InlineData("failedRatioAlarmPercent", "101")]
    public void A_malformed_value_fails_naming_its_key(string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Read((key, value)));

        Assert.StartsWith($"context '{key}' is '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_map_wider_than_the_senders_reserved_concurrency_fails_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() => Read(("reservedConcurrency", "3"), ("mapMaxConcurrency", "4")));

        Assert.Equal("context 'mapMaxConcurrency' is '4': expected at most reservedConcurrency (3).", error.Message);
        Assert.Equal(3, Read(("reservedConcurrency", "3"), ("mapMaxConcurrency", "3")).MapMaxConcurrency);
    }

    [Fact]
    public void A_missing_package_fails_the_synth_pointing_at_package_sh()
    {
        var settings = Read(("assetPath", Path.Combine(Path.GetTempPath(), "no-such-package.zip")));

        var error = Assert.Throws<ArgumentException>(() => new WhatsAppChannelStack(new Amazon.CDK.App(), "Missing", settings));

        Assert.Contains("package.sh x86_64", error.Message, StringComparison.Ordinal);
    }
}
