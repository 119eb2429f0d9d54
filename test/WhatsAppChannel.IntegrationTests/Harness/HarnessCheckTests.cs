using WhatsAppChannel.IntegrationTests.Replay;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Harness;

/// <summary><c>whatsapp-channel check</c> as an author runs it: a real process, the sandbox's listing (or a given Graph
/// server's), the verdict line and the exit code.</summary>
public sealed class HarnessCheckTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("whatsapp-check-").FullName;

    private static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private static async Task<HarnessRun> Run(params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(["check", .. arguments], NoEnvironment);
        return await process.WaitAsync(Timeout);
    }

    private async Task<string> DataFile(string json)
    {
        var file = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, json);
        return file;
    }

    private static string Lines(string text) => string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [Fact]
    public async Task Good_data_exits_0_and_shows_what_the_sample_recipient_reads()
    {
        var run = await Run(Sample("campaign-data.json"), "--sample", "FirstName=Mary", "--sample", "CartItem=red shoes");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("ok: template cart_reminder (en_US, MARKETING) fits Data", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Hi Mary, you left red shoes in your cart. Complete your purchase today!\n[Not interested]", Lines(run.StandardOutput), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_shows_its_first_recipients_personalized_text_and_masks_the_number()
    {
        var run = await Run(Sample("campaign-event.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Hi Tuohumai, the  Champion T Shirt in your order is not paid yet.", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("******8000", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("8613800138000", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_and_a_url_button_suffix_are_filled_in()
    {
        var shipped = await DataFile("""
            {"templateName":"order_shipped","params":[
              {"type":"header","parameters":[{"type":"text","text":"A-17"}]},
              {"type":"body","parameters":[{"type":"text","text":"{{User.UserAttributes.FirstName|there}}"},{"type":"text","text":"lamp"},{"type":"text","text":"Friday"}]}]}
            """);
        var tracking = await DataFile("""
            {"templateName":"delivery_tracking","params":[
              {"type":"body","parameters":[{"type":"text","text":"Ann"}]},
              {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"ZX81"}]}]}
            """);

        var header = await Run(shipped);
        var button = await Run(tracking);

        Assert.Equal(0, header.ExitCode);
        Assert.Contains(
            "Order A-17 is on its way\nHi there, your lamp left our warehouse today and should arrive by Friday.\nReply STOP to stop shipping updates",
            Lines(header.StandardOutput),
            StringComparison.Ordinal);
        Assert.Equal(0, button.ExitCode);
        Assert.Contains("[Track parcel] https://shop.example.com/track/ZX81\n[Contact support]", Lines(button.StandardOutput), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        """{"templateName":"ordertimeoutnotification","params":[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]}]}""",
        "template ordertimeoutnotification (en_US) body expects 2 parameters, Data gives 3")]
    [InlineData(
        """{"templateName":"ordertimeoutnotificaton","params":[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}""",
        "template ordertimeoutnotificaton not found in the WhatsApp Business Account")]
    [InlineData(
        """{"templateName":"cart_reminder","language":"de","params":[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}""",
        "template cart_reminder (de) is not approved in that language; approved: en_US, pt_BR, es")]
    [InlineData(
        """{"templateName":"order_shipped","params":[{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]}]}""",
        "template order_shipped (en_US) header expects 1 parameters, Data gives 0")]
    [InlineData(
        """{"templateName":"delivery_tracking","params":[{"type":"body","parameters":[{"type":"text","text":"a"}]}]}""",
        "template delivery_tracking (en_US) URL button 0 expects 1 suffix parameter, Data gives 0")]
    public async Task Data_that_does_not_fit_exits_2_with_the_functions_one_line_verdict(string data, string verdict)
    {
        var run = await Run(await DataFile(data));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(verdict, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task The_language_option_overrides_data_language()
    {
        var good = await Run(Sample("campaign-data.json"), "--language", "pt-BR", "--sample", "FirstName=Ana");
        var bad = await Run(Sample("campaign-data.json"), "--language", "fr");

        Assert.Equal(0, good.ExitCode);
        Assert.Contains("Olá Ana, você deixou an item no seu carrinho.", good.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("template cart_reminder (fr) is not approved in that language; approved: en_US, pt_BR, es", bad.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("""{"templateName":"","params":[]}""", "InvalidEvent: Data.templateName is missing")]
    [InlineData("""{"templateName":"cart_reminder","language":"not a language","params":[]}""", "InvalidEvent: language 'not a language' is not a language code such as en_US or es")]
    [InlineData("not json", "InvalidEvent: the file is not JSON: ")]
    [InlineData("""{"InvocationMetadata":{"CampaignContext":{"CampaignId":"c","RunId":"r","CampaignName":"n"}},"Items":{"CustomerProfiles":[{"ProfileId":"p","CustomerData":"{}"}]}}""",
        "InvalidEvent: the event carries no Data (Amazon Connect reads it from Parameter Store): check the Data file instead")]
    public async Task Unusable_input_exits_2_as_an_invalid_event(string file, string error)
    {
        var run = await Run(await DataFile(file));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(error, run.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_sample_that_is_not_name_equals_value_is_refused()
    {
        var run = await Run(Sample("campaign-data.json"), "--sample", "FirstName");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--sample 'FirstName' is not NAME=VALUE", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_given_graph_server_is_read_with_the_given_token_and_account()
    {
        await using var graph = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "other-token", BusinessAccountId = "4242" });

        var good = await Run(Sample("campaign-data.json"), "--graph-url", graph.BaseUrl.AbsoluteUri, "--token", "other-token", "--waba-id", "4242");
        var badToken = await Run(Sample("campaign-data.json"), "--graph-url", graph.BaseUrl.AbsoluteUri, "--token", "wrong-token", "--waba-id", "4242");
        var noAccount = await Run(Sample("campaign-data.json"), "--graph-url", graph.BaseUrl.AbsoluteUri, "--token", "other-token");

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(1, badToken.ExitCode);
        Assert.Equal("error: the template listing answered HTTP 401", badToken.StandardError.Trim());
        Assert.DoesNotContain("wrong-token", badToken.StandardError + badToken.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, noAccount.ExitCode);
        Assert.StartsWith("error: give --waba-id", noAccount.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Empty(graph.Messages);
    }

    [Fact]
    public async Task Invoke_with_the_sandboxs_account_preflights_and_routes_marketing_templates()
    {
        var options = new SandboxOptions { PairRateWindow = null };
        await using var graph = await SandboxServer.StartAsync(options);
        var environment = new Dictionary<string, string>
        {
            ["WHATSAPP_BUSINESS_ACCOUNT_ID"] = options.BusinessAccountId,
            ["WHATSAPP_MARKETING_MESSAGES"] = "true",
        };
        var bad = await DataFile("""
            {"Data":"{\"templateName\":\"ordertimeoutnotification\",\"params\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"}]}]}",
             "Endpoints":{"a":{"Address":"+447700900123"}}}
            """);
        string[] target = ["--json", "--graph-url", graph.BaseUrl.AbsoluteUri, "--token", options.AccessToken, "--phone-number-id", options.PhoneNumberId];

        using (var refused = HarnessProcess.StartCommand(["invoke", bad, .. target], environment))
        {
            var run = await refused.WaitAsync(Timeout);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal(
                "InvalidEvent: template ordertimeoutnotification (en_US) body expects 2 parameters, Data gives 1",
                run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
            Assert.Empty(graph.Messages);
        }

        using (var sent = HarnessProcess.StartCommand(["invoke", Sample("campaign-event.json"), .. target], environment))
        {
            var response = (await sent.WaitAsync(Timeout)).Response();
            Assert.Equal("sent", Assert.Single(response).Value.Status);
            Assert.True(Assert.Single(graph.Messages).ViaMarketingMessages);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
