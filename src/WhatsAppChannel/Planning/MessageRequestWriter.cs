using System.Text.Json;

namespace WhatsAppChannel.Planning;

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
    private static readonly JsonEncodedText CallbackData = JsonEncodedText.Encode("biz_opaque_callback_data");

    /// <summary>Writes the body to <paramref name="writer"/>, which callers reuse across many messages.</summary>
    /// <param name="componentsJson">The rendered <c>template.components</c> array, or empty for a template without parameters.</param>
    /// <param name="callbackData">Returned by WhatsApp in every status webhook of this message (at most 512 characters):
    /// the idempotency key and the campaign id, so a send whose answer was lost can still be matched to its message id and campaign.</param>
    public static void WriteTo(Utf8JsonWriter writer, string to, string templateName, string languageCode, ReadOnlySpan<byte> componentsJson, ReadOnlySpan<char> callbackData)
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
        writer.WriteString(CallbackData, callbackData);
        writer.WriteEndObject();
    }
}
