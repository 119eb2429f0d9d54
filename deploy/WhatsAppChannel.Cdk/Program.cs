using Amazon.CDK;
using WhatsAppChannel.Cdk;

// `cdk synth|deploy` runs this from the repository root (cdk.json); context comes from -c key=value or cdk.json.
// The jsii runtime (node) prints a full-screen banner for Node 20 on every synth; the synth itself works on it.
foreach (var (variable, value) in new[] { ("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1"), ("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20") })
{
    if (System.Environment.GetEnvironmentVariable(variable) is null)
    {
        System.Environment.SetEnvironmentVariable(variable, value);
    }
}

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
