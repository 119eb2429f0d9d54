using WhatsAppChannel.WhatsApp;

namespace WhatsAppChannel.Tests.WhatsApp;

public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(1, nameof(ErrorClass.Transient))]
    [InlineData(2, nameof(ErrorClass.Transient))]
    [InlineData(4, nameof(ErrorClass.Transient))]
    [InlineData(80007, nameof(ErrorClass.Transient))]
    [InlineData(130429, nameof(ErrorClass.Transient))]
    [InlineData(131000, nameof(ErrorClass.Transient))]
    [InlineData(131016, nameof(ErrorClass.Transient))]
    [InlineData(131057, nameof(ErrorClass.Transient))]
    [InlineData(133004, nameof(ErrorClass.Transient))]
    [InlineData(131056, nameof(ErrorClass.PairRateLimit))]
    [InlineData(190, nameof(ErrorClass.Token))]
    [InlineData(131026, nameof(ErrorClass.Permanent))]
    [InlineData(131047, nameof(ErrorClass.Permanent))]
    [InlineData(131048, nameof(ErrorClass.Permanent))]
    [InlineData(368, nameof(ErrorClass.Permanent))]
    [InlineData(100, nameof(ErrorClass.Permanent))]
    [InlineData(132000, nameof(ErrorClass.Permanent))]
    [InlineData(132001, nameof(ErrorClass.Permanent))]
    [InlineData(132005, nameof(ErrorClass.Permanent))]
    [InlineData(132007, nameof(ErrorClass.Permanent))]
    [InlineData(132012, nameof(ErrorClass.Permanent))]
    [InlineData(132015, nameof(ErrorClass.Permanent))]
    [InlineData(132016, nameof(ErrorClass.Permanent))]
    [InlineData(131008, nameof(ErrorClass.Permanent))]
    public void Every_listed_meta_code_has_its_class(int code, string expected)
    {
        Assert.Equal(Enum.Parse<ErrorClass>(expected), ErrorClassifier.Classify(400, code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_table_holds_exactly_the_non_permanent_codes_of_the_design()
    {
        Assert.Equal(
            new[] { 1, 2, 4, 190, 80007, 130429, 131000, 131016, 131056, 131057, 133004 },
            ErrorClassifier.Codes.Keys.Order());
    }

    [Theory]
    [InlineData(500, null, nameof(ErrorClass.Transient))]
    [InlineData(503, "503", nameof(ErrorClass.Transient))]
    [InlineData(401, null, nameof(ErrorClass.Token))]
    [InlineData(429, null, nameof(ErrorClass.Transient))]
    [InlineData(400, null, nameof(ErrorClass.Permanent))]
    [InlineData(404, "404", nameof(ErrorClass.Permanent))]
    [InlineData(302, null, nameof(ErrorClass.Permanent))]
    public void Http_status_decides_when_there_is_no_known_code(int status, string? code, string expected)
    {
        Assert.Equal(Enum.Parse<ErrorClass>(expected), ErrorClassifier.Classify(status, code));
    }

    [Fact]
    public void Only_a_refused_connection_is_retried_among_transport_failures_anything_that_may_have_arrived_is_delivery_unknown()
    {
        Assert.Equal(ErrorClass.Transient, new SendAttempt(SendOutcome.NoAnswer) { ErrorCode = "connection-failed" }.ErrorClass);
        Assert.Equal(ErrorClass.DeliveryUnknown, new SendAttempt(SendOutcome.NoAnswer) { ErrorCode = "timeout", MayHaveBeenDelivered = true }.ErrorClass);
        Assert.Equal(ErrorClass.DeliveryUnknown, new SendAttempt(SendOutcome.NoAnswer) { ErrorCode = "connection-lost", MayHaveBeenDelivered = true }.ErrorClass);
        Assert.Equal(ErrorClass.DeliveryUnknown, new SendAttempt(SendOutcome.NoAnswer) { HttpStatus = 200, ErrorCode = "invalid-response", MayHaveBeenDelivered = true }.ErrorClass);
        Assert.Equal(ErrorClass.None, new SendAttempt(SendOutcome.Accepted).ErrorClass);
    }

    [Theory]
    [InlineData(502, "<html>Bad Gateway</html>", nameof(ErrorClass.DeliveryUnknown))]
    [InlineData(504, "", nameof(ErrorClass.DeliveryUnknown))]
    [InlineData(500, "{\"error\":{\"message\":\"An unknown error occurred\",\"code\":1}}", nameof(ErrorClass.Transient))]
    [InlineData(429, "<html>Too Many Requests</html>", nameof(ErrorClass.Transient))]
    [InlineData(400, "{\"error\":{\"code\":130429}}", nameof(ErrorClass.Transient))]
    [InlineData(400, "<html>Bad Request</html>", nameof(ErrorClass.Permanent))]
    public void A_server_error_is_retried_only_with_metas_own_error_body(int status, string body, string expected)
    {
        Assert.Equal(Enum.Parse<ErrorClass>(expected), WhatsAppClient.Interpret(status, System.Text.Encoding.UTF8.GetBytes(body)).ErrorClass);
    }

    [Theory]
    [InlineData(400, "{\"error\":{\"code\":130429,\"message\":\"(#130429) Rate limit hit\"}}", true)]
    [InlineData(429, "{\"error\":{\"code\":\"130429\"}}", true)]
    [InlineData(400, "{\"error\":{\"code\":131056}}", false)]
    [InlineData(429, "<html>Too Many Requests</html>", false)]
    public void Only_metas_130429_says_the_number_is_over_its_throughput(int status, string body, bool exceeded)
    {
        Assert.Equal(exceeded, WhatsAppClient.Interpret(status, System.Text.Encoding.UTF8.GetBytes(body)).ThroughputExceeded);
    }
}
