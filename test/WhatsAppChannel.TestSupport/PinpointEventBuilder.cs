using System.Text;
using System.Text.Json.Nodes;
using WhatsAppChannel.Outcomes;

namespace WhatsAppChannel.TestSupport;

/// <summary>Writes Pinpoint custom-channel events from the test's endpoints.</summary>
internal sealed class PinpointEventBuilder
{
    /// <summary>The seed's Data: ordertimeoutnotification, two body texts and a quick-reply button.</summary>
    public const string SeedData =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"Tuohumai"},{"type":"text","text":" Champion T Shirt"}]},{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"button 0 clicked"}]}]}""";

    /// <summary>As the seed, with the first body text taken from the endpoint's first name (no fallback).</summary>
    public const string PersonalizedData =
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":" Champion T Shirt"}]}]}""";

    private readonly JsonObject _endpoints = [];
    private string _data = SeedData;
    private string _activityId = "ecf06111556d4c1ca09b1b197469a61a";

    public IReadOnlyList<string> EndpointIds => [.. _endpoints.Select(e => e.Key)];

    /// <summary>Every Address of the event as written.</summary>
    public IReadOnlyList<string> Addresses => [.. _endpoints.Select(e => (string)e.Value!["Address"]!)];

    public PinpointEventBuilder WithData(string data)
    {
        _data = data;
        return this;
    }

    /// <summary>The ActivityId, which makes an event distinct for the idempotency ledger.</summary>
    public PinpointEventBuilder WithActivityId(string activityId)
    {
        _activityId = activityId;
        return this;
    }

    /// <param name="attributes">Endpoint <c>Attributes</c>, one value each.</param>
    public PinpointEventBuilder Add(
        string endpointId,
        string address,
        string optOut = "NONE",
        string status = "ACTIVE",
        string? firstName = "Mary",
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        var endpointAttributes = new JsonObject();
        foreach (var (name, value) in attributes ?? new Dictionary<string, string>())
        {
            endpointAttributes[name] = new JsonArray(value);
        }

        var user = new JsonObject { ["UserId"] = "user-" + endpointId };
        if (firstName is not null)
        {
            user["UserAttributes"] = new JsonObject { ["FirstName"] = new JsonArray(firstName) };
        }

        _endpoints[endpointId] = new JsonObject
        {
            ["ChannelType"] = "CUSTOM",
            ["Address"] = address,
            ["EndpointStatus"] = status,
            ["OptOut"] = optOut,
            ["Location"] = new JsonObject { ["City"] = "Shenzhen", ["Country"] = "CN" },
            ["Demographic"] = new JsonObject { ["Locale"] = "en_US", ["Platform"] = "android" },
            ["Attributes"] = endpointAttributes,
            ["User"] = user,
            ["EffectiveDate"] = "2022-10-08T18:32:56.291Z",
            ["CreationDate"] = "2022-10-08T18:32:56.291Z",
        };
        return this;
    }

    public string ToJson() => new JsonObject
    {
        ["Message"] = new JsonObject(),
        ["Data"] = _data,
        ["ApplicationId"] = "71b0f21869ac444eb0185d43539b97ea",
        ["CampaignId"] = "54115c33de414441b604a71f59a2ccc3",
        ["TreatmentId"] = "0",
        ["ActivityId"] = _activityId,
        ["ScheduledTime"] = "2022-10-08T19:00:16.843Z",
        ["Endpoints"] = _endpoints.DeepClone(),
    }.ToJsonString();

    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToJson());

    public MemoryStream ToStream() => new(Encoding.UTF8.GetBytes(ToJson()));
}
