using System.Text;
using WhatsAppChannel.EndUserMessaging;
using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.EndUserMessaging;

/// <summary>Answers of SendWhatsAppMessage as AWS documents them: <c>{"messageId"}</c>, or an error type with a message.</summary>
public sealed class SocialMessagingAnswerTests
{
    private static SendAttempt Interpret(int status, string? header, string body) =>
        SocialMessagingClient.Interpret(status, header, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Success_gives_the_message_id()
    {
        var attempt = Interpret(200, null, """{"messageId":"5f1d2c8e-1111-4a2b-9c3d-0123456789ab"}""");

        Assert.Equal(SendOutcome.Accepted, attempt.Outcome);
        Assert.Equal("5f1d2c8e-1111-4a2b-9c3d-0123456789ab", attempt.MessageId);
        Assert.Equal(ErrorClass.None, attempt.ErrorClass);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"messageId":""}""")]
    [InlineData("{not json")]
    [InlineData("")]
    public void Success_without_a_message_id_may_have_sent_and_is_not_resent(string body)
    {
        var attempt = Interpret(200, null, body);

        Assert.Equal(SendOutcome.NoAnswer, attempt.Outcome);
        Assert.True(attempt.MayHaveBeenDelivered);
        Assert.Equal(ErrorClass.DeliveryUnknown, attempt.ErrorClass);
    }

    [Theory]
    [InlineData("ThrottledRequestException:http://internal.amazon.com/coral/com.amazonaws.socialmessaging/", """{"message":"Rate exceeded"}""")]
    [InlineData("ThrottledRequestException", """{"message":"Rate exceeded"}""")]
    [InlineData(null, """{"__type":"com.amazonaws.socialmessaging#ThrottledRequestException","message":"Rate exceeded"}""")]
    [InlineData(null, """{"code":"ThrottledRequestException","Message":"Rate exceeded"}""")]
    public void The_error_type_is_read_from_the_header_else_the_body(string? header, string body)
    {
        var attempt = Interpret(429, header, body);

        Assert.Equal(SendOutcome.Rejected, attempt.Outcome);
        Assert.Equal("ThrottledRequestException", attempt.ErrorCode);
        Assert.Equal("ThrottledRequestException: Rate exceeded", attempt.ErrorMessage);
        Assert.Equal(ErrorClass.Transient, attempt.ErrorClass);
        Assert.False(attempt.MayHaveBeenDelivered);
    }

    [Theory]
    [InlineData(429, "ThrottledRequestException", """{"message":"Rate exceeded"}""", true)]
    [InlineData(400, "ThrottlingException", """{"message":"Rate exceeded"}""", true)]
    [InlineData(400, "InvalidParametersException", """{"message":"(#130429) Rate limit hit: Cloud API message throughput has been reached."}""", true)]
    [InlineData(400, "SomeNewException", """{"message":"(#130429) Rate limit hit"}""", true)]
    [InlineData(500, "InternalServiceException", """{"message":"Internal error"}""", false)]
    [InlineData(400, "InvalidParametersException", """{"message":"(#131056) pair rate limit hit"}""", false)]
    [InlineData(400, "InvalidParametersException", """{"message":"(#1304290) not the throughput code"}""", false)]
    public void Throttling_by_AWS_or_Metas_130429_passed_on_says_the_number_is_over_its_throughput(int status, string type, string body, bool exceeded)
    {
        Assert.Equal(exceeded, Interpret(status, type, body).ThroughputExceeded);
    }

    [Fact]
    public void The_header_wins_over_the_body()
    {
        var attempt = Interpret(400, "ValidationException", """{"__type":"InternalServiceException","message":"x"}""");

        Assert.Equal("ValidationException", attempt.ErrorCode);
        Assert.Equal(ErrorClass.Permanent, attempt.ErrorClass);
    }

    [Fact]
    public void A_meta_code_in_the_message_is_reported_and_the_number_it_quotes_masked()
    {
        var attempt = Interpret(400, "InvalidParametersException", """{"message":"(#131026) Message Undeliverable: 4915112345678 is not on WhatsApp"}""");

        Assert.Equal("131026", attempt.ErrorCode);
        Assert.Equal(ErrorClass.Permanent, attempt.ErrorClass);
        Assert.DoesNotContain("4915112345678", attempt.ErrorMessage, StringComparison.Ordinal);
        Assert.StartsWith("InvalidParametersException: (#131026) Message Undeliverable", attempt.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_aws_type_decides_the_retry_even_with_a_meta_code_that_meta_would_retry()
    {
        var attempt = Interpret(400, "InvalidParametersException", """{"message":"(#131000) Something went wrong"}""");

        Assert.Equal("131000", attempt.ErrorCode);
        Assert.Equal(ErrorClass.Permanent, attempt.ErrorClass);
    }

    [Theory]
    [InlineData(400, "(#130429) Rate limit hit", "130429", nameof(ErrorClass.Transient))]
    [InlineData(400, "(#131056) pair rate limit hit", "131056", nameof(ErrorClass.PairRateLimit))]
    [InlineData(400, "(#132001) Template name does not exist", "132001", nameof(ErrorClass.Permanent))]
    [InlineData(400, "no code here", "SomeNewException", nameof(ErrorClass.Permanent))]
    [InlineData(503, "no code here", "SomeNewException", nameof(ErrorClass.Transient))]
    public void An_unlisted_type_is_decided_by_the_meta_code_else_the_status(int status, string message, string code, string expected)
    {
        var attempt = Interpret(status, "SomeNewException", $$"""{"message":"{{message}}"}""");

        Assert.Equal(code, attempt.ErrorCode);
        Assert.Equal(Enum.Parse<ErrorClass>(expected), attempt.ErrorClass);
    }

    [Theory]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(403, false)]
    public void An_error_without_an_aws_type_is_reported_by_status_and_a_5xx_is_delivery_unknown(int status, bool mayHaveSent)
    {
        var attempt = Interpret(status, null, "<html>gateway</html>");

        Assert.Equal(SendOutcome.Rejected, attempt.Outcome);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), attempt.ErrorCode);
        Assert.Equal(mayHaveSent, attempt.MayHaveBeenDelivered);
        Assert.Equal(mayHaveSent ? ErrorClass.DeliveryUnknown : ErrorClass.Permanent, attempt.ErrorClass);
    }
}
