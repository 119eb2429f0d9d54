using System.Text.Json.Nodes;

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>Who may invoke the sender: Pinpoint only with an application id, Connect only with an instance,
/// each scoped by SourceAccount and SourceArn so no other account's project or instance can.</summary>
public sealed class InvokePermissionsTests
{
    private const string PinpointApp = Deployments.PinpointApp;
    private const string ConnectInstance = Deployments.ConnectInstance;

    private static IEnumerable<JsonObject> ServicePermissions(Synthesized stack) =>
        stack.OfType("AWS::Lambda::Permission").Select(p => p.Properties).Where(p => p["Principal"] is not JsonValue v || (string?)v != "*");

    [Fact]
    public void Without_context_nothing_but_the_webhook_URL_may_invoke()
    {
        var stack = Deployments.Defaults;

        Assert.Empty(ServicePermissions(stack));
        Assert.Equal(2, stack.OfType("AWS::Lambda::Permission").Count());
    }

    [Fact]
    public void Pinpoint_invokes_the_sender_as_its_regional_principal_for_this_project_only()
    {
        var stack = Deployments.Everything;
        var permission = Assert.Single(ServicePermissions(stack), p => p["Principal"]!.ToJsonString().Contains("pinpoint.", StringComparison.Ordinal));

        Assert.Equal("lambda:InvokeFunction", (string?)permission["Action"]);
        Assert.Equal($$"""{"Fn::GetAtt":["{{stack.FunctionId("bootstrap")}}","Arn"]}""", permission["FunctionName"]!.ToJsonString());
        Assert.Equal("""{"Fn::Join":["",["pinpoint.",{"Ref":"AWS::Region"},".amazonaws.com"]]}""", permission["Principal"]!.ToJsonString());
        Assert.Equal("""{"Ref":"AWS::AccountId"}""", permission["SourceAccount"]!.ToJsonString());
        Assert.Equal(
            $$"""{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":mobiletargeting:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":apps/{{PinpointApp}}*"]]}""",
            permission["SourceArn"]!.ToJsonString());
    }

    [Fact]
    public void Connect_invokes_the_sender_for_this_instance_only()
    {
        var stack = Deployments.MetaWithSecretAndConnect;
        var permission = Assert.Single(ServicePermissions(stack));

        Assert.Equal("connect-campaigns.amazonaws.com", (string?)permission["Principal"]);
        Assert.Equal($$"""{"Fn::GetAtt":["{{stack.FunctionId("bootstrap")}}","Arn"]}""", permission["FunctionName"]!.ToJsonString());
        Assert.Equal("""{"Ref":"AWS::AccountId"}""", permission["SourceAccount"]!.ToJsonString());
        Assert.Equal(
            $$"""{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":connect:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":instance/{{ConnectInstance}}"]]}""",
            permission["SourceArn"]!.ToJsonString());
    }

    [Fact]
    public void Every_service_permission_names_its_source()
    {
        var stack = Deployments.Everything;
        var permissions = ServicePermissions(stack).ToList();

        Assert.Equal(3, permissions.Count);
        Assert.All(permissions, p => Assert.NotNull(p["SourceArn"]));
        // SNS names its topic; Pinpoint and Connect also name the account, as their guides do.
        Assert.All(permissions.Where(p => p["Principal"]!.ToJsonString() != "\"sns.amazonaws.com\""), p => Assert.NotNull(p["SourceAccount"]));
    }
}
