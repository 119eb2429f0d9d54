namespace WhatsAppChannel.Templates;

/// <summary>What a recipient reads of a template before its parameters are filled in, as the listing gives it.</summary>
/// <param name="HeaderFormat">TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION; null without a header.</param>
/// <param name="Header">A text header's text with its placeholders.</param>
internal sealed record TemplateTexts(string? HeaderFormat, string? Header, string Body, string? Footer, IReadOnlyList<TemplateButtonText> Buttons);

/// <param name="Type">QUICK_REPLY, URL, PHONE_NUMBER, ... as listed.</param>
/// <param name="Url">A URL button's URL, possibly ending in a <c>{{1}}</c> suffix.</param>
internal sealed record TemplateButtonText(string Type, string Text, string? Url);
