using System.Text.Json;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Pinpoint;

namespace WhatsAppChannel.Tests.Outcomes;

public sealed class EndpointResultTests
{
    [Fact]
    public void A_two_megabyte_reason_reaches_the_response_capped_at_500_characters()
    {
        var reason = "(#131000) Something went wrong: " + new string('x', 2 * 1024 * 1024);
        var result = new EndpointResult("e", EndpointStatus.Failed) { Reason = reason, ErrorCode = "131000" };

        using var output = new MemoryStream();
        ResponseWriter.Write(output, [result]);

        using var response = JsonDocument.Parse(output.ToArray());
        var written = response.RootElement.GetProperty("e").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString()!;
        Assert.Equal(500, written.Length);
        Assert.StartsWith("(#131000) Something went wrong: xxx", written, StringComparison.Ordinal);
        Assert.EndsWith("x...", written, StringComparison.Ordinal);
        Assert.True(output.Length < 1000);
    }

    [Fact]
    public void A_reason_is_never_cut_inside_a_surrogate_pair()
    {
        var reason = new string('a', 496) + string.Concat(Enumerable.Repeat("🎉", 10));

        var capped = new EndpointResult("e", EndpointStatus.Failed) { Reason = reason }.Reason!;

        Assert.Equal(new string('a', 496) + "...", capped);
        using var output = new MemoryStream();
        ResponseWriter.Write(output, [new EndpointResult("e", EndpointStatus.Failed) { Reason = new string('a', 495) + "🎉🎉🎉" }]);
        using var response = JsonDocument.Parse(output.ToArray());
        Assert.Equal(new string('a', 495) + "🎉...", response.RootElement.GetProperty("e").GetProperty("EventAttributes").GetProperty("whatsapp_reason").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("opted-out")]
    public void Short_reasons_are_kept_as_they_are(string? reason)
    {
        Assert.Equal(reason, new EndpointResult("e", EndpointStatus.Skipped) { Reason = reason }.Reason);
        var exactly = new string('r', EndpointResult.MaxReasonLength);
        Assert.Same(exactly, (new EndpointResult("e", EndpointStatus.Skipped) { Reason = exactly }).Reason);
    }
}
