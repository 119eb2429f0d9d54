using Amazon.CDK;
using WhatsAppChannel.Cdk;

// `cdk synth|deploy` runs this from the repository root (cdk.json); context comes from -c key=value or cdk.json.
var app = new App();
try
{
    var settings = StackSettings.FromContext(app.Node.TryGetContext);
    _ = new WhatsAppChannelStack(app, app.Node.TryGetContext("stackName")?.ToString() ?? "WhatsAppChannel", settings, new StackProps
    {
        Description = "WhatsApp Channel: sender, webhook, ledger, campaign state machine and alarms.",
    });
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}

app.Synth();
return 0;
