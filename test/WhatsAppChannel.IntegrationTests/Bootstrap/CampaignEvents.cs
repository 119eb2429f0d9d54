using System.Text.Json.Nodes;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>Pinpoint campaign events for the seed's template, one recipient each unless told.</summary>
public static class CampaignEvents
{
    private const string Data =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":" Champion T Shirt"}]}]}""";

    /// <summary>An event whose ActivityId makes it distinct for the idempotency ledger.</summary>
    public static string Create(string activityId, params (string EndpointId, string Address)[] endpoints)
    {
        var endpointsNode = new JsonObject();
        foreach (var (endpointId, address) in endpoints)
        {
            endpointsNode[endpointId] = new JsonObject
            {
                ["ChannelType"] = "CUSTOM",
                ["Address"] = address,
                ["EndpointStatus"] = "ACTIVE",
                ["OptOut"] = "NONE",
                ["Demographic"] = new JsonObject { ["Locale"] = "en_US" },
                ["User"] = new JsonObject
                {
                    ["UserId"] = "user-" + endpointId,
                    ["UserAttributes"] = new JsonObject { ["FirstName"] = new JsonArray("Mary") },
                },
            };
        }

        return new JsonObject
        {
            ["Message"] = new JsonObject(),
            ["Data"] = Data,
            ["ApplicationId"] = "71b0f21869ac444eb0185d43539b97ea",
            ["CampaignId"] = "54115c33de414441b604a71f59a2ccc3",
            ["TreatmentId"] = "0",
            ["ActivityId"] = activityId,
            ["ScheduledTime"] = "2022-10-08T19:00:16.843Z",
            ["Endpoints"] = endpointsNode,
        }.ToJsonString();
    }

    /// <summary>A distinct German mobile number per index.</summary>
    public static string Address(int index) => $"49151{index:D8}";
}
