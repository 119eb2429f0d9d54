namespace WhatsAppChannel.Sandbox;

// AWS End User Messaging Social's SendWhatsAppMessage (REST JSON), as its API reference describes it.

/// <summary><c>POST /v1/whatsapp/send</c>: <see cref="Message"/> is the Cloud API message, base64-encoded.</summary>
internal sealed record SocialMessagingSendRequest(string? OriginationPhoneNumberId, string? MetaApiVersion, string? Message);

internal sealed record SocialMessagingSendResponse(string MessageId);

/// <summary>An AWS REST-JSON error body; the type travels in the <c>x-amzn-ErrorType</c> header.</summary>
internal sealed record SocialMessagingErrorBody(string Message);
