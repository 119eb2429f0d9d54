using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Local.Campaigns;

/// <summary>Gives each row its endpoint id (the EndpointId column, else the normalized number, else line-N) and finds repeats across
/// the whole audience, which batches of 50 alone would not: a number seen before is a duplicate, an endpoint id given
/// twice is an error. It keeps one id and one number per row, not the rows.</summary>
internal sealed class AudienceScreen(PhoneNumberNormalizer normalizer, string path)
{
    private readonly HashSet<string> _endpointIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _numbers = new(StringComparer.Ordinal);

    /// <exception cref="AudienceException">The row's endpoint id was used by an earlier row for another number.</exception>
    public AudienceEntry Admit(AudienceRow row)
    {
        var normalized = normalizer.Normalize(row.Address).Digits;
        var number = normalized ?? row.Address;
        var endpointId = row.EndpointId ?? normalized ?? $"line-{row.Line}";
        if (number is not null && _numbers.TryGetValue(number, out var firstLine))
        {
            return new AudienceEntry(row, endpointId, firstLine);
        }

        if (!_endpointIds.Add(endpointId))
        {
            throw new AudienceException($"{path} line {row.Line}: duplicate EndpointId '{endpointId}' (endpoint ids must be unique)");
        }

        if (number is not null)
        {
            _numbers[number] = row.Line;
        }

        return new AudienceEntry(row, endpointId, null);
    }
}
