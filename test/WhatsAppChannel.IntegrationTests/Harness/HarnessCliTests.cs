using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Replay;

namespace WhatsAppChannel.IntegrationTests.Harness;

/// <summary>The <c>whatsapp-channel</c> command line, driven as a user would: a real process, real output, exit codes.</summary>
public sealed class HarnessCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("whatsapp-cli-").FullName;

    private static string Sample(string name) => Path.Combine(RepositoryRoot.Path, "samples", name);

    private static async Task<HarnessRun> Run(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = HarnessProcess.StartCommand(arguments, environment ?? NoEnvironment);
        return await process.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Invoke_json_through_the_sandbox_prints_only_the_design_response()
    {
        var run = await Run(null, "invoke", Sample("campaign-event.json"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        var endpoint = Assert.Single(response.RootElement.EnumerateObject());
        Assert.Equal("88ec5ed2e7b7e6db9a4bb1ffe9dc6fa4", endpoint.Name);
        var attributes = endpoint.Value.GetProperty("EventAttributes");
        Assert.Equal(["whatsapp_status", "whatsapp_message_id", "whatsapp_attempts"], attributes.EnumerateObject().Select(a => a.Name));
        Assert.Equal("sent", attributes.GetProperty("whatsapp_status").GetString());
        Assert.StartsWith("wamid.", attributes.GetProperty("whatsapp_message_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", attributes.GetProperty("whatsapp_attempts").GetString());
        Assert.All(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
        Assert.DoesNotContain("8613800138000", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_shows_the_table_and_the_text_the_recipient_reads()
    {
        var run = await Run(null, "invoke", Sample("campaign-event.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("******8000", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sent", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Hi Tuohumai, the  Champion T Shirt in your order is not paid yet. Go to pay the order and get extra points!", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 endpoints: 1 sent, 0 skipped, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("8613800138000", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_event_exits_2_with_one_clear_line()
    {
        var file = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(file, """{"Data":"{\"params\":[]}","Endpoints":{}}""");

        var run = await Run(null, "invoke", file, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("InvalidEvent: Data.templateName is missing", run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        Assert.Equal(string.Empty, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_placeholder_left_open_exits_2_before_anything_is_sent()
    {
        var file = Path.Combine(_directory, "unclosed.json");
        await File.WriteAllTextAsync(file, """
            {"Data":"{\"templateName\":\"ordertimeoutnotification\",\"params\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"{{User.UserAttributes.FirstName}\"},{\"type\":\"text\",\"text\":\"shirt\"}]}]}",
             "Endpoints":{"a":{"Address":"+14155550123","User":{"UserAttributes":{"FirstName":["Ann"]}}}}}
            """);

        var run = await Run(null, "invoke", file, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(
            "InvalidEvent: Data.params[0].parameters[0].text has an unclosed placeholder '{{User.UserAttributes.FirstName}'",
            run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(),
            StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task With_a_default_region_a_number_with_its_country_code_is_not_re_prefixed()
    {
        var file = Path.Combine(_directory, "region.json");
        await File.WriteAllTextAsync(file, """
            {"Data":"{\"templateName\":\"ordertimeoutnotification\",\"params\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"},{\"type\":\"text\",\"text\":\"shirt\"}]}]}",
             "Endpoints":{"us":{"Address":"14155550123"},"both":{"Address":"4915112345678"},"letters":{"Address":"+1-800-FLOWERS"}}}
            """);

        var run = await Run(new Dictionary<string, string> { ["WHATSAPP_DEFAULT_REGION"] = "DE" }, "invoke", file, "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        string Attribute(string id, string name) => response.RootElement.GetProperty(id).GetProperty("EventAttributes").GetProperty(name).GetString()!;
        Assert.Equal("sent", Attribute("us", "whatsapp_status"));
        Assert.Equal("ambiguous-address", Attribute("both", "whatsapp_reason"));
        Assert.Equal("invalid-address", Attribute("letters", "whatsapp_reason"));
    }

    [Fact]
    public async Task The_region_UK_exits_2_suggesting_GB()
    {
        var run = await Run(new Dictionary<string, string> { ["WHATSAPP_DEFAULT_REGION"] = "UK" }, "invoke", Sample("campaign-event.json"), "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("WHATSAPP_DEFAULT_REGION 'UK' is not an ISO 3166 region code: the United Kingdom is GB.", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_configuration_exits_2_naming_the_variable()
    {
        var run = await Run(new Dictionary<string, string> { ["SEND_CONCURRENCY"] = "zero" }, "invoke", Sample("campaign-event.json"), "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("SEND_CONCURRENCY", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_event_file_exits_1()
    {
        var run = await Run(null, "invoke", Path.Combine(_directory, "nope.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot read", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_output_round_trips_through_invoke()
    {
        var file = Path.Combine(_directory, "event.json");
        var written = await Run(null, "event", "--to", "+14155551201,+447700900123,not-a-number", "--template", "ordertimeoutnotification",
            "--param", "{{User.UserAttributes.FirstName|there}}", "--param", " T-shirt", "-o", file);
        Assert.Equal(0, written.ExitCode);

        var run = await Run(null, "invoke", file, "--json");

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.StandardOutput);
        var statuses = response.RootElement.EnumerateObject().Select(e => e.Value.GetProperty("EventAttributes").GetProperty("whatsapp_status").GetString()).ToList();
        Assert.Equal(["sent", "sent", "skipped"], statuses);
    }

    [Fact]
    public async Task Event_from_csv_personalizes_and_splits_into_batches_of_50()
    {
        var csv = Path.Combine(_directory, "people.csv");
        await File.WriteAllLinesAsync(csv, ["phone,FirstName", .. Enumerable.Range(0, 60).Select(i => $"+1415555{3000 + i},\"Name, {i}\"")]);
        var output = Path.Combine(_directory, "batch.json");

        var written = await Run(null, "event", "--csv", csv, "--template", "ordertimeoutnotification", "--param", "{{User.UserAttributes.FirstName}}", "--param", "x", "-o", output);

        Assert.Equal(0, written.ExitCode);
        var first = Path.Combine(_directory, "batch-001.json");
        var second = Path.Combine(_directory, "batch-002.json");
        using (var batch = JsonDocument.Parse(await File.ReadAllTextAsync(second)))
        {
            Assert.Equal(10, batch.RootElement.GetProperty("Endpoints").EnumerateObject().Count());
        }

        var run = await Run(null, "invoke", first);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Hi Name, 0, the x in your order", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("50 endpoints: 50 sent, 0 skipped, 0 failed", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_exit_2()
    {
        var run = await Run(null, "event", "--template", "x");

        Assert.Equal(2, run.ExitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
