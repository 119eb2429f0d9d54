namespace WhatsAppChannel.Tests.Templates;

/// <summary>Pages shaped as Meta documents <c>GET /{version}/{waba-id}/message_templates</c>: <c>data</c> entries with
/// name, components (HEADER with format, BODY text with {{n}}, BUTTONS), language, status, category, id; paging cursors.</summary>
internal static class MetaListing
{
    public const string FirstPageTemplates = """
        [
          {"name":"ordertimeoutnotification","components":[
             {"type":"BODY","text":"Hi {{1}}, your order of {{2}} timed out.","example":{"body_text":[["Pablo","a T shirt"]]}},
             {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Try again"}]}],
           "language":"en_US","status":"APPROVED","category":"UTILITY","id":"1059318721836751"},
          {"name":"ordertimeoutnotification","components":[{"type":"BODY","text":"Hola {{1}}, su pedido de {{2}} caducó."}],
           "language":"es","status":"APPROVED","category":"UTILITY","id":"1059318721836752"},
          {"name":"ordertimeoutnotification","components":[{"type":"BODY","text":"Hallo {{1}}, {{2}}"}],
           "language":"de","status":"REJECTED","category":"UTILITY","id":"1059318721836753"}
        ]
        """;

    public const string SecondPageTemplates = """
        [
          {"name":"shipping_update","components":[
             {"type":"HEADER","format":"TEXT","text":"Order {{1}}"},
             {"type":"BODY","text":"{{1}} ships on {{2}}; {{1}}, track it below."},
             {"type":"FOOTER","text":"Reply STOP to opt out"},
             {"type":"BUTTONS","buttons":[
                {"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550783881"},
                {"type":"URL","text":"Track","url":"https://example.com/track/{{1}}","example":["https://example.com/track/ABC"]}]}],
           "language":"en_US","status":"APPROVED","category":"UTILITY","id":"2059318721836751"},
          {"name":"summer_sale","components":[
             {"type":"HEADER","format":"IMAGE","example":{"header_handle":["4::aW..."]}},
             {"type":"BODY","text":"Shop now"}],
           "language":"en_US","status":"APPROVED","category":"MARKETING","id":"2059318721836752"}
        ]
        """;

    public static string Page(string templates, string? next) =>
        "{\"data\":" + templates + ",\"paging\":{\"cursors\":{\"before\":\"MAZDZD\",\"after\":\"MjQZD\"}"
        + (next is null ? "" : ",\"next\":\"" + next + "\"") + "}}";
}
