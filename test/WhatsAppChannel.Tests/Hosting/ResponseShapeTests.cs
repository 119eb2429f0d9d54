using System.Text;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.Tests.Hosting;

public sealed class ResponseShapeTests
{
    [Fact]
    public void Each_status_writes_the_design_attributes_as_strings()
    {
        var output = new MemoryStream();
        ResponseWriter.Write(output,
        [
            new EndpointResult("a", EndpointStatus.Sent) { MessageId = "wamid.1", Attempts = 1 },
            new EndpointResult("b", EndpointStatus.Skipped) { Reason = "opted-out" },
            new EndpointResult("c", EndpointStatus.Failed) { ErrorCode = "131026", Reason = "Message Undeliverable", Attempts = 1 },
            new EndpointResult("d", EndpointStatus.Skipped) { Reason = "already-sent", MessageId = "wamid.0" },
        ]);

        Assert.Equal(
            """{"a":{"EventAttributes":{"whatsapp_status":"sent","whatsapp_message_id":"wamid.1","whatsapp_attempts":"1"}},"b":{"EventAttributes":{"whatsapp_status":"skipped","whatsapp_reason":"opted-out"}},"c":{"EventAttributes":{"whatsapp_status":"failed","whatsapp_attempts":"1","whatsapp_error_code":"131026","whatsapp_reason":"Message Undeliverable"}},"d":{"EventAttributes":{"whatsapp_status":"skipped","whatsapp_message_id":"wamid.0","whatsapp_reason":"already-sent"}}}""",
            Encoding.UTF8.GetString(output.ToArray()));
    }
}
