using System.Buffers;
using System.Text.Json;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Writes the body of <c>POST /{version}/{phone-number-id}/messages</c> for a template message.</summary>
internal static class MessageRequestWriter
{
    private static readonly JsonEncodedText MessagingProduct = JsonEncodedText.Encode("messaging_product");
    private static readonly JsonEncodedText WhatsApp = JsonEncodedText.Encode("whatsapp");
    private static readonly JsonEncodedText RecipientType = JsonEncodedText.Encode("recipient_type");
    private static readonly JsonEncodedText Individual = JsonEncodedText.Encode("individual");
    private static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Template = JsonEncodedText.Encode("template");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Language = JsonEncodedText.Encode("language");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Components = JsonEncodedText.Encode("components");

    /// <param name="componentsJson">The rendered <c>template.components</c> array, or null for a template without parameters.</param>
    public static byte[] Write(string to, string templateName, string languageCode, ReadOnlySpan<byte> componentsJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + componentsJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer, to, templateName, languageCode, componentsJson);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body to <paramref name="writer"/>, for callers that reuse one writer across many messages.</summary>
    public static void WriteTo(Utf8JsonWriter writer, string to, string templateName, string languageCode, ReadOnlySpan<byte> componentsJson)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString(MessagingProduct, WhatsApp);
        writer.WriteString(RecipientType, Individual);
        writer.WriteString(To, to);
        writer.WriteString(Type, Template);
        writer.WriteStartObject(Template);
        writer.WriteString(Name, templateName);
        writer.WriteStartObject(Language);
        writer.WriteString(Code, languageCode);
        writer.WriteEndObject();
        if (!componentsJson.IsEmpty)
        {
            writer.WritePropertyName(Components);
            writer.WriteRawValue(componentsJson, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
