using System.Text.Json;
using WhatsAppChannel.IntegrationTests.Idempotency;

namespace WhatsAppChannel.IntegrationTests.Replay;

/// <summary>samples/campaign-50-endpoints.json: one full Pinpoint batch, 50 distinct deliverable numbers.</summary>
internal sealed class CampaignOf50
{
    private CampaignOf50(string path, IReadOnlyDictionary<string, string> numberByEndpoint)
    {
        Path = path;
        NumberByEndpoint = numberByEndpoint;
        EndpointByNumber = numberByEndpoint.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>Endpoint id -> the digits the sandbox records as <c>to</c>.</summary>
    public IReadOnlyDictionary<string, string> NumberByEndpoint { get; }

    public IReadOnlyDictionary<string, string> EndpointByNumber { get; }

    public static CampaignOf50 Load()
    {
        var path = System.IO.Path.Combine(RepositoryRoot.Path, "samples", "campaign-50-endpoints.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in document.RootElement.GetProperty("Endpoints").EnumerateObject())
        {
            // The sample's addresses are E.164 with '+', so normalizing them only drops the '+'.
            numbers.Add(endpoint.Name, endpoint.Value.GetProperty("Address").GetString()!.TrimStart('+'));
        }

        Assert.Equal(50, numbers.Count);
        Assert.Equal(50, numbers.Values.Distinct(StringComparer.Ordinal).Count());
        return new CampaignOf50(path, numbers);
    }
}
