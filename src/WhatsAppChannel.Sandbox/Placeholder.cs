namespace WhatsAppChannel.Sandbox;
