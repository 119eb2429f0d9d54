using System.Text.Json.Nodes;

namespace WhatsAppChannel.TestSupport;

/// <summary>One scripted answer of <see cref="ScriptedGraphServer"/>, shaped like the WhatsApp Cloud API's.</summary>
internal sealed record GraphReply
{
    public GraphReplyKind Kind { get; init; } = GraphReplyKind.Respond;
    public int Status { get; init; } = 200;
    public string Body { get; init; } = string.Empty;

    /// <summary>Waited before answering (the Graph API's latency).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The Retry-After header's value (RFC 9110: seconds or an HTTP-date), if any.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Bytes of a <c>"padding"</c> member streamed inside the body's JSON object; never held in memory.</summary>
    public long PaddingBytes { get; init; }

    /// <summary>Whether the padding is the object's first member (else its last).</summary>
    public bool PaddingFirst { get; init; }

    public static GraphReply Hang { get; } = new() { Kind = GraphReplyKind.Hang };

    public static GraphReply ResetBeforeHeaders { get; } = new() { Kind = GraphReplyKind.ResetBeforeHeaders };

    public static GraphReply Accepted(string to, string messageId) => new()
    {
        Body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = messageId }),
        }.ToJsonString(),
    };

    /// <summary>Meta's error shape: <c>{"error":{"message","type","code","error_data":{"details"},"fbtrace_id"}}</c>.</summary>
    public static GraphReply Error(int httpStatus, int code, string message, string? details = null)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
            ["fbtrace_id"] = "AbCdEfGhIjK",
        };
        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        return new GraphReply { Status = httpStatus, Body = new JsonObject { ["error"] = error }.ToJsonString() };
    }

    public static GraphReply Raw(int httpStatus, string body) => new() { Status = httpStatus, Body = body };

    public static GraphReply ResetMidBody(int httpStatus, string body) => new() { Kind = GraphReplyKind.ResetMidBody, Status = httpStatus, Body = body };

    public GraphReply After(TimeSpan delay) => this with { Delay = delay };

    /// <summary>This answer with a <c>"padding":"xxx..."</c> member of <paramref name="bytes"/> bytes, as the first
    /// member of the answer (the message id comes after it) or as the last (the id comes first).</summary>
    public GraphReply Padded(long bytes, bool first) => this with { PaddingBytes = bytes, PaddingFirst = first };
}
