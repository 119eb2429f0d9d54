using System.Text;
using System.Text.Json;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Events;

/// <summary>The answer Amazon Connect reads: {"Items": {"CustomerProfiles": [{"Id", "Result", "ResultData"}]}}.</summary>
public sealed class ConnectAnswerTests
{
    private static JsonElement Write(params EndpointResult[] results)
    {
        var output = new MemoryStream();
        ResponseWriter.Write(output, EventShape.ConnectCampaignAction, results);
        return JsonDocument.Parse(output.ToArray()).RootElement;
    }

    [Fact]
    public void Each_result_is_one_profile_in_order_with_string_values()
    {
        var answer = Write(
            new EndpointResult("p1", EndpointStatus.Sent) { MessageId = "wamid.1", Attempts = 2 },
            new EndpointResult("p2", EndpointStatus.Skipped) { Reason = "opted-out" },
            new EndpointResult("p3", EndpointStatus.Failed) { Reason = "Recipient is not a WhatsApp user", ErrorCode = "131026", Attempts = 1 });

        Assert.Equal(["Items"], answer.EnumerateObject().Select(p => p.Name));
        var profiles = answer.GetProperty("Items").GetProperty("CustomerProfiles").EnumerateArray().ToList();
        Assert.Equal(["p1", "p2", "p3"], profiles.Select(p => p.GetProperty("Id").GetString()));
        Assert.Equal(["SUCCESS", "SUCCESS", "FAILURE"], profiles.Select(p => p.GetProperty("Result").GetString()));
        Assert.Equal("""{"whatsapp_status":"sent","whatsapp_message_id":"wamid.1","whatsapp_attempts":"2"}""", profiles[0].GetProperty("ResultData").GetRawText());
        Assert.Equal("""{"whatsapp_status":"skipped","whatsapp_reason":"opted-out"}""", profiles[1].GetProperty("ResultData").GetRawText());
        Assert.Equal("131026", profiles[2].GetProperty("ResultData").GetProperty("whatsapp_error_code").GetString());
    }

    [Fact]
    public void ResultData_stays_far_below_Connects_32_KB_whatever_the_reason()
    {
        var huge = string.Concat(Enumerable.Repeat("\"<é🎉>\" ", 20_000));

        var data = Write(new EndpointResult("p", EndpointStatus.Failed) { Reason = huge }).GetProperty("Items").GetProperty("CustomerProfiles")[0].GetProperty("ResultData");

        Assert.True(Encoding.UTF8.GetByteCount(data.GetRawText()) < 8 * 1024);
        Assert.EndsWith("...", data.GetProperty("whatsapp_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_batch_is_an_empty_list()
    {
        Assert.Equal("""{"Items":{"CustomerProfiles":[]}}""", Write().GetRawText());
    }
}
