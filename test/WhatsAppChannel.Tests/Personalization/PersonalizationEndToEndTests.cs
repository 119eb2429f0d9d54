using System.Text.Json;
using WhatsAppChannel.Tests.TestSupport;

namespace WhatsAppChannel.Tests.Personalization;

/// <summary>Through the real handler and real HTTP: each recipient gets their own parameters and language.</summary>
public sealed class PersonalizationEndToEndTests
{
    private static readonly string Data = JsonSerializer.Serialize("""
        {"templateName":"ordertimeoutnotification","params":[
          {"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName}}"},{"type":"text","text":"{{Attributes.Item|your item}}"}]},
          {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"pay:{{EndpointId}}"}]}]}
        """);

    private static readonly string Event = """{"ApplicationId":"app","CampaignId":"c","TreatmentId":"0","ActivityId":"a","ScheduledTime":"t","Data":""" + Data + """
        ,"Endpoints":{
          "mary":{"Address":"+14155551301","Demographic":{"Locale":"en-GB"},"Attributes":{"Item":["Tênis \"Corrida\" 42 🎉"]},"User":{"UserAttributes":{"FirstName":["Mary"]}}},
          "josé":{"Address":"+34612345678","Demographic":{"Locale":"es-ES"},"User":{"UserAttributes":{"FirstName":["José","Pepe"]}}},
          "nameless":{"Address":"+14155551303","User":{"UserAttributes":{}}}}}
        """;

    [Fact]
    public async Task Two_recipients_get_their_own_parameters_and_one_without_a_name_is_skipped()
    {
        await using var server = await ScriptedGraphServer.StartAsync(ScriptedGraphServer.AcceptAll());
        var settings = ChannelInvoker.Settings(server.BaseUrl);
        settings["WHATSAPP_LANGUAGE_FROM_LOCALE"] = "true";

        var run = await ChannelInvoker.RunAsync(settings, Event, TimeSpan.FromSeconds(20));

        Assert.Equal("sent", run.Status("mary"));
        Assert.Equal("sent", run.Status("josé"));
        Assert.Equal("skipped", run.Status("nameless"));
        Assert.Equal("missing-value:User.UserAttributes.FirstName", run.Attribute("nameless", "whatsapp_reason"));
        Assert.Equal(2, server.Calls.Count);

        var bodies = server.Calls.ToDictionary(c => c.To, c => JsonDocument.Parse(c.Body).RootElement);
        var mary = bodies["14155551301"].GetProperty("template");
        var jose = bodies["34612345678"].GetProperty("template");
        Assert.Equal(["Mary", "Tênis \"Corrida\" 42 🎉"], Texts(mary));
        Assert.Equal(["José", "your item"], Texts(jose));
        Assert.Equal("en_GB", mary.GetProperty("language").GetProperty("code").GetString());
        Assert.Equal("es_ES", jose.GetProperty("language").GetProperty("code").GetString());
        Assert.Equal("pay:josé", jose.GetProperty("components")[1].GetProperty("parameters")[0].GetProperty("payload").GetString());
    }

    private static List<string?> Texts(JsonElement template) =>
        [.. template.GetProperty("components")[0].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString())];
}
