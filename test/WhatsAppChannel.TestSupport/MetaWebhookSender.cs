using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WhatsAppChannel.TestSupport;

/// <summary>Stands in for Meta's webhook delivery, written from Meta's documentation: a notification
/// <c>{"object":"whatsapp_business_account","entry":[{"id","changes":[{"field":"messages","value":{...}}]}]}</c>
/// POSTed with <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body, keyed with the app secret&gt;</c>,
/// as the Lambda Function URL hands it over (payload format 2.0: lower-case headers, the body as text or base64).</summary>
internal static class MetaWebhookSender
{
    public const string AppSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string VerifyToken = "verify-me-4711";
    public const string BusinessNumber = "15550783881";

    /// <summary>A statuses notification, as in Meta's status webhook reference.</summary>
    public static string Statuses(params string[] statuses) => Notification($$$"""
        "statuses": [{{{string.Join(",", statuses)}}}]
        """);

    /// <summary>One status object; <paramref name="errorCode"/> adds Meta's errors array of a failed status.</summary>
    public static string Status(string messageId, string status, string recipient = "16505551234", int? errorCode = null, string? callbackData = null)
    {
        var errors = errorCode is null ? "" : $$""","errors":[{"code":{{errorCode}},"title":"Message failed to send because there were too many messages sent from this phone number in a short period of time.","message":"Message failed","error_data":{"details":"Message failed"},"href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]""";
        var opaque = callbackData is null ? "" : $$""","biz_opaque_callback_data":"{{callbackData}}" """;
        return $$$"""
            {"id":"{{{messageId}}}","status":"{{{status}}}","timestamp":"1750263773","recipient_id":"{{{recipient}}}",
             "conversation":{"id":"1234567890abcdef1234567890abcdef","expiration_timestamp":"1750349580","origin":{"type":"marketing"}},
             "pricing":{"billable":true,"pricing_model":"PMP","category":"marketing","type":"regular"}{{{errors}}}{{{opaque}}}}
            """;
    }

    /// <summary>An inbound text message, as in Meta's text messages webhook reference.</summary>
    public static string Text(string from, string body) => Notification($$$"""
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "{{{from}}}"}],
        "messages": [{"from": "{{{from}}}", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "timestamp": "1750090702", "type": "text", "text": {"body": "{{{body}}}"}}]
        """);

    /// <summary>A quick-reply button tap on a template, as in Meta's button messages webhook reference.</summary>
    public static string Button(string from, string text, string payload) => Notification($$$"""
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "{{{from}}}"}],
        "messages": [{"context": {"from": "{{{BusinessNumber}}}", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"},
          "from": "{{{from}}}", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MjQA", "timestamp": "1744344496",
          "type": "button", "button": {"payload": "{{{payload}}}", "text": "{{{text}}}"}}]
        """);

    /// <summary>An interactive reply button tap, as in Meta's interactive messages webhook reference.</summary>
    public static string ButtonReply(string from, string id, string title) => Notification($$$"""
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "{{{from}}}"}],
        "messages": [{"context": {"from": "{{{BusinessNumber}}}", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJDMjg0OEQzMUI0QjQwRUIwNDcA"},
          "from": "{{{from}}}", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUQ3NkNEOEUyQUE0NUM2RjE4NQA=", "timestamp": "1744344496",
          "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "{{{id}}}", "title": "{{{title}}}"} } }]
        """);

    /// <summary>The business number's id in every notification's <c>metadata.phone_number_id</c>.</summary>
    public const string BusinessPhoneNumberId = "106540352242922";

    /// <summary>Meta's envelope around one change value of the "messages" field.</summary>
    public static string Notification(string valueMembers, string field = "messages") => $$$"""
        {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"value": {
          "messaging_product": "whatsapp",
          "metadata": {"display_phone_number": "{{{BusinessNumber}}}", "phone_number_id": "{{{BusinessPhoneNumberId}}}"},
          {{{valueMembers}}}
        }, "field": "{{{field}}}"}]}]}
        """;

    public static string Sign(byte[] body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();

    /// <summary>The Function URL event of Meta's POST; <paramref name="signature"/> null = computed with the app secret,
    /// "" = header left out.</summary>
    public static string Post(string body, string? signature = null, bool base64 = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new JsonObject
        {
            ["content-type"] = "application/json",
            ["user-agent"] = "facebookexternalua",
            ["x-forwarded-proto"] = "https",
            ["host"] = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
        };
        if (signature != "")
        {
            headers["x-hub-signature-256"] = signature ?? Sign(bytes);
        }

        return FunctionUrlEvent("POST", "", null, headers, base64 ? Convert.ToBase64String(bytes) : body, base64);
    }

    /// <summary>Meta's verification GET: <c>?hub.mode=subscribe&amp;hub.challenge=...&amp;hub.verify_token=...</c>.</summary>
    public static string Verification(string? mode, string? token, string? challenge)
    {
        var query = new JsonObject();
        var raw = new List<string>();
        foreach (var (name, value) in new[] { ("hub.mode", mode), ("hub.challenge", challenge), ("hub.verify_token", token) })
        {
            if (value is not null)
            {
                query[name] = value;
                raw.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        return FunctionUrlEvent("GET", string.Join("&", raw), query, new JsonObject { ["user-agent"] = "facebookplatform/1.0" }, null, false);
    }

    public static string FunctionUrlEvent(string method, string rawQuery, JsonObject? query, JsonObject headers, string? body, bool base64)
    {
        var request = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = "/",
            ["rawQueryString"] = rawQuery,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = "abcdefghijklmnop",
                ["domainName"] = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
                ["http"] = new JsonObject { ["method"] = method, ["path"] = "/", ["protocol"] = "HTTP/1.1", ["sourceIp"] = "173.252.95.1", ["userAgent"] = "facebookexternalua" },
                ["requestId"] = Guid.NewGuid().ToString("D"),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["time"] = "01/Dec/2026:05:00:00 +0000",
                ["timeEpoch"] = 1796101200000,
            },
            ["isBase64Encoded"] = base64,
        };
        if (query is not null)
        {
            request["queryStringParameters"] = query;
        }

        if (body is not null)
        {
            request["body"] = body;
        }

        return request.ToJsonString();
    }

    /// <summary>An SNS event from an AWS End User Messaging Social topic: Message is the AWS event whose
    /// <c>whatsAppWebhookEntry</c> is one Meta entry as a JSON string.</summary>
    public static string Sns(string metaNotification)
    {
        var entry = JsonNode.Parse(metaNotification)!["entry"]![0]!.ToJsonString();
        var message = new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["MetaWabaIds"] = new JsonArray(new JsonObject { ["wabaId"] = "102290129340398", ["arn"] = "arn:aws:social-messaging:us-east-1:123456789012:waba/fb2594b8a7974770b128a409e2example" }),
                ["MetaPhoneNumberIds"] = new JsonArray(new JsonObject { ["metaPhoneNumberId"] = "106540352242922", ["arn"] = "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/976c72a700aac43eaf573ae050example" }),
            },
            ["whatsAppWebhookEntry"] = entry,
            ["aws_account_id"] = "123456789012",
            ["message_timestamp"] = "2025-01-08T23:30:43.271279391Z",
            ["messageId"] = "6d69f07a-c317-4278-9d5c-6a84078419ec",
        };
        return new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["EventVersion"] = "1.0",
                ["EventSubscriptionArn"] = "arn:aws:sns:us-east-1:123456789012:whatsapp-events:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
                ["Sns"] = new JsonObject
                {
                    ["Type"] = "Notification",
                    ["MessageId"] = "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                    ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:whatsapp-events",
                    ["Subject"] = null,
                    ["Message"] = message.ToJsonString(),
                    ["Timestamp"] = "2025-01-08T23:30:43.300Z",
                },
            }),
        }.ToJsonString();
    }
}
