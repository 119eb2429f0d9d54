using WhatsAppChannel.EndUserMessaging;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.EndUserMessaging;

public sealed class SocialMessagingErrorClassifierTests
{
    [Theory]
    [InlineData("ThrottledRequestException", nameof(ErrorClass.Transient))]
    [InlineData("InternalServiceException", nameof(ErrorClass.Transient))]
    [InlineData("DependencyException", nameof(ErrorClass.Transient))]
    [InlineData("InvalidParametersException", nameof(ErrorClass.Permanent))]
    [InlineData("ValidationException", nameof(ErrorClass.Permanent))]
    [InlineData("ResourceNotFoundException", nameof(ErrorClass.Permanent))]
    [InlineData("AccessDeniedException", nameof(ErrorClass.Permanent))]
    [InlineData("AccessDeniedByMetaException", nameof(ErrorClass.Permanent))]
    public void Every_documented_send_error_has_its_class(string type, string expected)
    {
        Assert.Equal(Enum.Parse<ErrorClass>(expected), SocialMessagingErrorClassifier.Classify(type));
    }

    [Theory]
    [InlineData("InvalidSignatureException")]
    [InlineData("throttledrequestexception")]
    [InlineData(null)]
    public void Any_other_type_is_left_to_the_meta_code_and_the_status(string? type)
    {
        Assert.Null(SocialMessagingErrorClassifier.Classify(type));
    }

    [Fact]
    public void No_type_asks_for_a_token_refresh()
    {
        Assert.DoesNotContain(ErrorClass.Token, SocialMessagingErrorClassifier.Types.Values);
    }
}
