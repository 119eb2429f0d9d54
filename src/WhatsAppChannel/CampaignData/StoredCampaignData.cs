namespace WhatsAppChannel.CampaignData;

/// <summary>A campaign's Data text and where it was read (named in error messages, so an author knows what to fix).</summary>
internal sealed record StoredCampaignData(string Text, string Origin);
