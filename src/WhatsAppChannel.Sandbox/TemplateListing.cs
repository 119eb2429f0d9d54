using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace WhatsAppChannel.Sandbox;

/// <summary>
/// Answers <c>GET /{version}/{waba-id}/message_templates</c> from the registry as Meta's WhatsApp Business Management
/// API does: <c>{"data":[{name, language, status, category, components, id}], "paging":{"cursors":{"before","after"},"next"}}</c>,
/// one entry per template and language, <c>fields</c> choosing the fields and <c>limit</c>/<c>after</c> the page.
/// </summary>
internal sealed class TemplateListing(TemplateRegistry templates)
{
    private static readonly string[] DefaultFields = ["name", "language", "status", "category", "components", "id"];

    // Registry order, one entry per translation: the cursors index into it.
    private readonly List<(MessageTemplate Template, string Language, TemplateTranslation Translation)> _entries =
        [.. templates.Templates.SelectMany(t => t.Translations.Select(l => (t, l.Key, l.Value)))];

    /// <returns>The page as JSON, or the Graph error a bad <c>limit</c> or <c>after</c> gets.</returns>
    public byte[]? TryWritePage(HttpRequest request, out GraphError? error)
    {
        error = null;
        var query = request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                error = GraphError.InvalidParameter("limit must be a positive whole number");
                return null;
            }

            limit = parsed;
        }

        var start = 0;
        if (query.TryGetValue("after", out var after))
        {
            if (DecodeCursor(after.ToString()) is not { } afterIndex)
            {
                error = GraphError.InvalidParameter("after is not a cursor of this listing");
                return null;
            }

            start = afterIndex + 1;
        }

        var fields = query.TryGetValue("fields", out var fieldList)
            ? fieldList.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : DefaultFields;
        var end = limit is { } size ? Math.Min(_entries.Count, start + size) : _entries.Count;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            for (var i = start; i < end; i++)
            {
                WriteEntry(w, _entries[i], fields);
            }

            w.WriteEndArray();
            if (end > start)
            {
                w.WriteStartObject("paging");
                w.WriteStartObject("cursors");
                w.WriteString("before", EncodeCursor(start));
                w.WriteString("after", EncodeCursor(end - 1));
                w.WriteEndObject();
                if (end < _entries.Count)
                {
                    w.WriteString("next", PageUrl(request, EncodeCursor(end - 1)));
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEntry(Utf8JsonWriter w, (MessageTemplate Template, string Language, TemplateTranslation Translation) entry, string[] fields)
    {
        var (template, language, translation) = entry;
        w.WriteStartObject();
        foreach (var field in fields)
        {
            switch (field)
            {
                case "name":
                    w.WriteString("name", template.Name);
                    break;
                case "language":
                    w.WriteString("language", language);
                    break;
                case "status":
                    // The registry holds what may be sent: every translation in it is approved.
                    w.WriteString("status", "APPROVED");
                    break;
                case "category":
                    w.WriteString("category", template.Category);
                    break;
                case "components":
                    WriteComponents(w, translation);
                    break;
                case "id":
                    w.WriteString("id", TemplateId(template.Name, language));
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static void WriteComponents(Utf8JsonWriter w, TemplateTranslation translation)
    {
        w.WriteStartArray("components");
        if (translation.Header is { } header)
        {
            w.WriteStartObject();
            w.WriteString("type", "HEADER");
            w.WriteString("format", "TEXT");
            w.WriteString("text", header.Text);
            w.WriteEndObject();
        }

        w.WriteStartObject();
        w.WriteString("type", "BODY");
        w.WriteString("text", translation.Body.Text);
        w.WriteEndObject();
        if (translation.Footer is { } footer)
        {
            w.WriteStartObject();
            w.WriteString("type", "FOOTER");
            w.WriteString("text", footer);
            w.WriteEndObject();
        }

        if (translation.Buttons.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("type", "BUTTONS");
            w.WriteStartArray("buttons");
            foreach (var button in translation.Buttons)
            {
                w.WriteStartObject();
                w.WriteString("type", button.ApiSubType.ToUpperInvariant());
                w.WriteString("text", button.Text);
                if (button.Url is { } url)
                {
                    w.WriteString("url", url.Text);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The same request with <c>after</c> moved on, as an absolute URL like Meta's <c>paging.next</c>.</summary>
    private static string PageUrl(HttpRequest request, string after)
    {
        var query = request.Query
            .Where(p => p.Key != "after")
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value.ToString()))
            .Append("after=" + Uri.EscapeDataString(after));
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }

    // Opaque to callers, like Meta's base64 cursors.
    private static string EncodeCursor(int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString(CultureInfo.InvariantCulture)));

    private int? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(cursor));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _entries.Count ? index : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // Stable across restarts, numeric like Meta's template ids.
    private static string TemplateId(string name, string language) =>
        (BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name + "\n" + language)), 0) % 1_000_000_000_000_000UL)
            .ToString(CultureInfo.InvariantCulture);
}
