namespace WhatsAppChannel.Sandbox;

/// <summary>A template button; a URL button may end in a dynamic <c>{{1}}</c> suffix the sender fills in.</summary>
internal sealed record TemplateButton(TemplateButtonKind Kind, string Text, PlaceholderText? Url)
{
    public bool HasDynamicUrl => Url is { ParameterCount: > 0 };

    public string ApiSubType => Kind switch
    {
        TemplateButtonKind.QuickReply => "quick_reply",
        TemplateButtonKind.Url => "url",
        _ => "phone_number",
    };

    public string Render(string? urlSuffix) => Url is null
        ? $"[{Text}]"
        : $"[{Text}] {Url.Render(urlSuffix is null ? [] : [urlSuffix])}";
}
