namespace WhatsAppChannel.CampaignData;

/// <summary>A campaign's Data could not be read. Not an invocation error: every item of the event fails with the message.</summary>
internal sealed class CampaignDataUnavailableException : Exception
{
    public CampaignDataUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
