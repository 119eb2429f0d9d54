using System.Text.Json;
using WhatsAppChannel.Pinpoint;

namespace WhatsAppChannel.Personalization;

/// <summary>Looks up a placeholder path such as <c>User.UserAttributes.FirstName</c> in one endpoint.</summary>
internal static class EndpointFields
{
    /// <summary>The value at <paramref name="path"/>, or null when there is none. Arrays give their first element.</summary>
    public static string? Resolve(PinpointEndpoint endpoint, string path)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(path);
        if (path == "EndpointId")
        {
            return endpoint.Id;
        }

        var current = endpoint.Raw;
        var rest = path.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            var name = dot < 0 ? rest : rest[..dot];
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }

            if (dot < 0)
            {
                break;
            }

            rest = rest[(dot + 1)..];
        }

        if (current.ValueKind == JsonValueKind.Array)
        {
            var items = current.EnumerateArray();
            if (!items.MoveNext())
            {
                return null;
            }

            current = items.Current;
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => ReadString(current),
            // As written in the event: a double would turn 1000000000000000000000 into 1E+21 and 0.1 into 0.1000...
            JsonValueKind.Number => current.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>A value System.Text.Json cannot transcode (a lone surrogate) is no value.</summary>
    private static string? ReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
