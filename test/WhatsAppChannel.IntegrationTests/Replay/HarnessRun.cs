using System.Text.Json;

namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>How a harness process ended: exit code, stdout (the response with <c>--json</c>) and stderr (the logs).</summary>
internal sealed record HarnessRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The response, read by its documented field names rather than the function's types.</summary>
    public IReadOnlyDictionary<string, EndpointOutcome> Response()
    {
        Assert.True(ExitCode == 0, $"The harness exited with {ExitCode}. stderr:\n{StandardError}");
        using var document = JsonDocument.Parse(StandardOutput);
        var outcomes = new Dictionary<string, EndpointOutcome>(StringComparer.Ordinal);
        foreach (var endpoint in document.RootElement.EnumerateObject())
        {
            var attributes = endpoint.Value.GetProperty("EventAttributes");
            outcomes.Add(endpoint.Name, new EndpointOutcome(
                attributes.GetProperty("whatsapp_status").GetString()!,
                Text(attributes, "whatsapp_reason"),
                Text(attributes, "whatsapp_message_id")));
        }

        return outcomes;
    }

    private static string? Text(JsonElement attributes, string name) =>
        attributes.TryGetProperty(name, out var value) ? value.GetString() : null;
}
