using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

// One jsii runtime (a node child process) serves the whole test process; its calls are not made from parallel threads.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>The stack synthesized in-process for one set of context values, as the CDK CLI would pass them
/// (<c>-c key=value</c>), with both the assertions API and the template's JSON. Each distinct context is
/// synthesized once per test run.</summary>
internal sealed class Synthesized
{
    private static readonly ConcurrentDictionary<string, Lazy<Synthesized>> Cache = new(StringComparer.Ordinal);

    /// <summary>A stand-in for package.sh's output: a directory holding an executable named bootstrap.</summary>
    private static readonly Lazy<string> AssetDirectory = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("whatsapp-cdk-asset-").FullName;
        File.WriteAllText(Path.Combine(directory, "bootstrap"), "#!/bin/sh\n");
        return directory;
    });

    private Synthesized(Template template, JsonObject json)
    {
        Template = template;
        Json = json;
    }

    public Template Template { get; }

    public JsonObject Json { get; }

    public JsonObject Resources => Json[nameof(Resources)]!.AsObject();

    public static string Asset => AssetDirectory.Value;

    public static Synthesized With(params (string Key, string Value)[] context)
    {
        var key = string.Join(";", context.Select(c => c.Key + "=" + c.Value));
        return Cache.GetOrAdd(key, _ => new Lazy<Synthesized>(() => Synthesize(context))).Value;
    }

    private static Synthesized Synthesize((string Key, string Value)[] context)
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
        var values = context.ToDictionary(c => c.Key, c => (object)c.Value, StringComparer.Ordinal);
        values.TryAdd("assetPath", Asset);
        var outdir = Directory.CreateTempSubdirectory("whatsapp-cdk-out-").FullName;
        try
        {
            var app = new App(new AppProps { Outdir = outdir, Context = values });
            var stack = new WhatsAppChannelStack(app, "WhatsAppChannel", StackSettings.FromContext(app.Node.TryGetContext));
            var template = Template.FromStack(stack);
            app.Synth();
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outdir, "WhatsAppChannel.template.json")))!.AsObject();
            return new Synthesized(template, json);
        }
        finally
        {
            Directory.Delete(outdir, recursive: true);
        }
    }

    public IEnumerable<(string Id, JsonObject Properties)> OfType(string type) =>
        Resources.Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!["Properties"]?.AsObject() ?? []));

    public (string Id, JsonObject Properties) Single(string type, Func<JsonObject, bool> where)
    {
        var matches = OfType(type).Where(r => where(r.Properties)).ToList();
        Assert.True(matches.Count == 1, $"expected one {type} matching, found {matches.Count}");
        return matches[0];
    }

    /// <summary>Every statement of every identity policy in the template, with the policy's roles.</summary>
    public IEnumerable<PolicyStatement> Statements() =>
        OfType("AWS::IAM::Policy").SelectMany(p =>
            p.Properties["PolicyDocument"]!["Statement"]!.AsArray().Select(s => new PolicyStatement(
                p.Id,
                Strings(p.Properties["Roles"]).ToList(),
                Strings(s!["Action"]).ToList(),
                Many(s["Resource"]).ToList())));

    /// <summary>The logical id of the role a function runs as.</summary>
    public string RoleOf(string functionId) =>
        (string)Resources[functionId]!["Properties"]!["Role"]!["Fn::GetAtt"]![0]!;

    public string FunctionId(string handler) =>
        Single("AWS::Lambda::Function", p => (string?)p["Handler"] == handler).Id;

    private static IEnumerable<JsonNode> Many(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!) : node is null ? [] : [node];

    private static IEnumerable<string> Strings(JsonNode? node) =>
        Many(node).Select(n => n is JsonObject o && o["Ref"] is { } reference ? (string)reference! : n.ToJsonString().Trim('"'));
}

/// <summary>One IAM statement: its policy, the roles the policy is attached to, its actions and resources.</summary>
internal sealed record PolicyStatement(string PolicyId, IReadOnlyList<string> Roles, IReadOnlyList<string> Actions, IReadOnlyList<JsonNode> Resources)
{
    public bool Touches(string servicePrefix) => Actions.Any(a => a.StartsWith(servicePrefix, StringComparison.Ordinal));

    public bool Grants(string action) => Actions.Contains(action);
}

/// <summary>The three deployments the tests synthesize (each synth costs seconds): the defaults; everything
/// switched on with the AWS transport; the Meta transport with an existing secret and a Connect instance.</summary>
internal static class Deployments
{
    public const string PinpointApp = "0123456789abcdef0123456789abcdef";
    public const string ConnectInstance = "11111111-2222-3333-4444-555555555555";
    public const string ExistingSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-Ab12Cd";

    public static Synthesized Defaults => Synthesized.With();

    public static Synthesized Everything => Synthesized.With(
        ("transport", "aws"), ("architecture", "arm64"), ("reservedConcurrency", "20"), ("throughputPerSecond", "250"),
        ("optOutKeywords", "STOP,BAJA"), ("pinpointApplicationId", PinpointApp), ("connectInstanceId", ConnectInstance),
        ("connectDataParameterPrefix", "/acme/whatsapp"), ("alarmEmail", "ops@example.com"), ("logRetentionDays", "365"),
        ("mapMaxConcurrency", "8"), ("failedRatioAlarmPercent", "7"), ("phoneNumberIds", "phone-number-id-b2, phone-number-id-c3"));

    public static Synthesized MetaWithSecretAndConnect => Synthesized.With(
        ("secretArn", ExistingSecret), ("connectInstanceId", ConnectInstance), ("phoneNumberIds", "106540352242922,106540352242923"));
}
