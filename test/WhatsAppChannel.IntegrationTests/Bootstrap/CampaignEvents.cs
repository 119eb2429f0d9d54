namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>Pinpoint campaign events for the seed's template, one recipient each unless told.</summary>
public static class CampaignEvents
{
    private const string Data =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":" Champion T Shirt"}]}]}""";

    /// <summary>An event whose ActivityId makes it distinct for the idempotency ledger.</summary>
    public static string Create(string activityId, params (string EndpointId, string Address)[] endpoints)
    {
        var builder = new PinpointEventBuilder().WithData(Data).WithActivityId(activityId);
        foreach (var (endpointId, address) in endpoints)
        {
            builder.Add(endpointId, address);
        }

        return builder.ToJson();
    }

    /// <summary>A distinct German mobile number per index.</summary>
    public static string Address(int index) => $"49151{index:D8}";
}
