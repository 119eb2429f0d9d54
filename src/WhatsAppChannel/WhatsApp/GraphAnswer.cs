using System.Text;
using System.Text.Json;

namespace WhatsAppChannel.WhatsApp;

/// <summary>What a Cloud API answer says, read token by token from a bounded prefix of it: the first message id on
/// success, or Meta's error fields (<c>{"error":{"message","code","error_data":{"details"}}}</c>). A prefix cut
/// inside a value leaves that value unread; it never throws.</summary>
internal readonly record struct GraphAnswer(string? MessageId, bool HasError, string? ErrorCode, string? ErrorMessage, string? ErrorDetails)
{
    /// <param name="complete">False when <paramref name="payload"/> is only the start of a longer answer.</param>
    public static GraphAnswer Read(ReadOnlySpan<byte> payload, bool complete)
    {
        var answer = default(GraphAnswer);
        var reader = new Utf8JsonReader(payload, isFinalBlock: complete, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return answer;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("messages"u8))
                {
                    return answer with { MessageId = ReadFirstMessageId(ref reader) };
                }

                if (reader.ValueTextEquals("error"u8))
                {
                    return ReadError(ref reader);
                }

                if (!reader.TrySkip())
                {
                    return answer;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page): nothing readable.
        }

        return answer;
    }

    private static string? ReadFirstMessageId(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } id ? id : null;
            }

            if (!reader.TrySkip())
            {
                return null;
            }
        }

        return null;
    }

    private static GraphAnswer ReadError(ref Utf8JsonReader reader)
    {
        var error = new GraphAnswer { HasError = true };
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return error;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                if (!reader.Read() || !reader.TrySkip())
                {
                    return error;
                }

                error = error with { ErrorCode = reader.TokenType switch
                {
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.String => reader.GetString(),
                    _ => null,
                } };
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (!reader.Read() || !reader.TrySkip())
                {
                    return error;
                }

                error = error with { ErrorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : null };
            }
            else if (reader.ValueTextEquals("error_data"u8))
            {
                if (!reader.Read())
                {
                    return error;
                }

                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    error = error with { ErrorDetails = ReadDetails(ref reader) };
                }
                else if (!reader.TrySkip())
                {
                    return error;
                }
            }
            else if (!reader.TrySkip())
            {
                return error;
            }
        }

        return error;
    }

    private static string? ReadDetails(ref Utf8JsonReader reader)
    {
        string? details = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("details"u8))
            {
                if (!reader.Read())
                {
                    return details;
                }

                details = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (!reader.TrySkip())
            {
                return details;
            }
        }

        return details;
    }
}
