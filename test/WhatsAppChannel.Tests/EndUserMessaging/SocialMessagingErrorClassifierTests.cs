using WhatsAppChannel.EndUserMessaging;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.EndUserMessaging;

public sealed class SocialMessagingErrorClassifierTests
{
    [Theory]
    [InlineData("ThrottledRequestException", ErrorClass.Transient)]
    [InlineData("InternalServiceException", ErrorClass.Transient)]
    [InlineData("DependencyException", ErrorClass.Transient)]
    [InlineData("InvalidParametersException", ErrorClass.Permanent)]
    [InlineData("ValidationException", ErrorClass.Permanent)]
    [InlineData("ResourceNotFoundException", ErrorClass.Permanent)]
    [InlineData("AccessDeniedException", ErrorClass.Permanent)]
    [InlineData("AccessDeniedByMetaException", ErrorClass.Permanent)]
    public void Every_documented_send_error_has_its_class(string type, ErrorClass expected)
    {
        Assert.Equal(expected, SocialMessagingErrorClassifier.Classify(type));
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
