using System.Text;
using static WhatsAppChannel.Sandbox.Tests.CloudApiClient;

namespace WhatsAppChannel.Sandbox.Tests;

public sealed class TemplateRegistryTests
{
    [Fact]
    public async Task Embedded_templates_are_the_samples_file()
    {
        var embedded = await TemplateRegistry.LoadEmbeddedAsync(CancellationToken.None);
        var found = await TemplateRegistry.LoadAsync(null, CancellationToken.None);

        Assert.EndsWith(Path.Combine("samples", "templates.json"), found.Source, StringComparison.Ordinal);
        Assert.Equal(found.Templates.Select(t => t.Name).Order(), embedded.Templates.Select(t => t.Name).Order());
        Assert.Equal(
            ["cart_reminder", "delivery_tracking", "hello_world", "order_shipped", "ordertimeoutnotification"],
            embedded.Templates.Select(t => t.Name).Order());
        Assert.True(embedded.TryGet("cart_reminder", out var cart));
        Assert.Equal(["en_US", "es", "pt_BR"], cart.Translations.Keys.Order());
    }

    [Fact]
    public async Task Seed_template_declares_two_body_parameters_and_a_quick_reply()
    {
        var registry = await TemplateRegistry.LoadEmbeddedAsync(CancellationToken.None);

        Assert.True(registry.TryGet("ordertimeoutnotification", out var seed));
        var english = seed.Translations["en_US"];
        Assert.Equal(2, english.Body.ParameterCount);
        Assert.Equal(TemplateButtonKind.QuickReply, Assert.Single(english.Buttons).Kind);
    }

    [Fact]
    public async Task A_templates_file_from_options_replaces_the_samples()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sandbox-templates-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "templates": [ { "name": "ping", "languages": { "de": { "body": "Hallo {{1}}!" } } } ] }
            """);
        try
        {
            await using var server = await StartAsync(new SandboxOptions { TemplatesFile = file });

            var answer = await SendTemplateAsync(server, SeedRecipient, "ping", "de", "Welt");
            var seed = await PostAsync(server, SeedRequest().ToJsonString());

            answer.AssertAccepted();
            Assert.Equal("Hallo Welt!", server.FindMessage(answer.MessageId!)!.RenderedText);
            seed.AssertMessagingError(132001);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Missing_templates_file_fails_at_start()
    {
        var options = new SandboxOptions { TemplatesFile = Path.Combine(Path.GetTempPath(), "no-such-templates.json") };

        await Assert.ThrowsAsync<FileNotFoundException>(() => SandboxServer.StartAsync(options));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{ "templates": [ { "languages": { "en_US": { "body": "x" } } } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": {} } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": { "en_US": { "body": "Hi {{2}}" } } } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": { "en_US": { "body": "" } } } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": { "en_US": { "body": "x", "buttons": [ { "type": "URL", "text": "Go" } ] } } } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": { "en_US": { "body": "x", "buttons": [ { "type": "FLOW", "text": "Go" } ] } } } ] }""")]
    [InlineData("""{ "templates": [ { "name": "a", "languages": { "en_US": { "body": "x" } } }, { "name": "a", "languages": { "en_US": { "body": "y" } } } ] }""")]
    public async Task Invalid_templates_are_refused_with_a_message_naming_the_problem(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TemplateRegistry.ParseAsync(stream, "test.json", CancellationToken.None));

        Assert.Contains("test.json", error.Message, StringComparison.Ordinal);
    }
}
