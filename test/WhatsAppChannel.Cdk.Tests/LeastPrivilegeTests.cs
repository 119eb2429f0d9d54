using System.Text.Json.Nodes;

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>Each function may touch its own resources only: the secret, the table, the campaign-data parameters,
/// the origination number, its log group. A grant widened to "*" or lost turns one of these red.</summary>
public sealed class LeastPrivilegeTests
{
    public static TheoryData<string> Transports => new() { "meta", "aws" };

    private static Synthesized Stack(string transport) =>
        transport == "aws" ? Deployments.Everything : Deployments.Defaults;

    [Theory]
    [MemberData(nameof(Transports))]
    public void No_statement_allows_every_resource(string transport)
    {
        var wildcards = Stack(transport).Statements()
            .Where(s => s.Resources.Any(r => r is JsonValue v && (string?)v == "*"))
            .Select(s => $"{s.PolicyId}: {string.Join(",", s.Actions)}")
            .ToList();

        Assert.Empty(wildcards);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Secret_table_and_parameter_actions_name_their_one_resource(string transport)
    {
        var stack = Stack(transport);
        var secretId = stack.OfType("AWS::SecretsManager::Secret").SingleOrDefault().Id;
        var tableId = stack.Single("AWS::DynamoDB::Table", _ => true).Id;
        var webhook = stack.RoleOf(stack.FunctionId("webhook"));

        foreach (var statement in stack.Statements())
        {
            if (statement.Touches("secretsmanager:"))
            {
                Assert.Equal(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], statement.Actions.Order());
                Assert.Equal($$"""{"Ref":"{{secretId}}"}""", Assert.Single(statement.Resources).ToJsonString());
            }

            if (statement.Touches("dynamodb:"))
            {
                string[] expected = statement.Roles.SequenceEqual([webhook])
                    ? ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
                    : ["dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
                Assert.Equal(expected, statement.Actions.Order());
                var resources = statement.Resources.Where(r => r.ToJsonString() != """{"Ref":"AWS::NoValue"}""");
                Assert.Equal($$"""{"Fn::GetAtt":["{{tableId}}","Arn"]}""", Assert.Single(resources).ToJsonString());
            }

            if (statement.Touches("ssm:"))
            {
                Assert.Equal(["ssm:GetParameter"], statement.Actions);
                Assert.EndsWith(""":parameter/acme/whatsapp/*"]]}""", Assert.Single(statement.Resources).ToJsonString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Meta_transport_lets_both_functions_read_the_secret_and_nobody_send_through_AWS()
    {
        var stack = Stack("meta");
        var statements = stack.Statements().ToList();

        foreach (var handler in new[] { "bootstrap", "webhook" })
        {
            var role = stack.RoleOf(stack.FunctionId(handler));
            Assert.Contains(statements, s => s.Roles.Contains(role) && s.Grants("secretsmanager:GetSecretValue"));
            Assert.Contains(statements, s => s.Roles.Contains(role) && s.Grants("dynamodb:PutItem"));
        }

        // The webhook never reads items: it updates message items and puts or deletes opt-outs.
        var webhook = stack.RoleOf(stack.FunctionId("webhook"));
        Assert.DoesNotContain(statements, s => s.Roles.Contains(webhook) && (s.Grants("dynamodb:GetItem") || s.Grants("dynamodb:BatchGetItem")));

        Assert.DoesNotContain(statements, s => s.Touches("social-messaging:"));
        Assert.DoesNotContain(statements, s => s.Touches("ssm:"));
    }

    [Fact]
    public void Aws_transport_sends_from_its_origination_numbers_only_and_no_function_reads_a_secret()
    {
        var stack = Stack("aws");
        var statements = stack.Statements().ToList();
        var sender = stack.RoleOf(stack.FunctionId("bootstrap"));

        var send = Assert.Single(statements, s => s.Touches("social-messaging:"));
        Assert.Equal(["social-messaging:SendWhatsAppMessage"], send.Actions);
        Assert.Equal([sender], send.Roles);
        var arns = send.Resources.Select(r => r.ToJsonString()).ToList();
        Assert.Equal(3, arns.Count);
        Assert.All(arns, arn => Assert.Contains(""":phone-number-id/""", arn, StringComparison.Ordinal));
        Assert.Contains("""{"Fn::Select":[1,{"Fn::Split":["phone-number-id-",{"Ref":"EumsPhoneNumberId"}]}]}""", arns[0], StringComparison.Ordinal);
        Assert.EndsWith(""":phone-number-id/b2"]]}""", arns[1], StringComparison.Ordinal);
        Assert.EndsWith(""":phone-number-id/c3"]]}""", arns[2], StringComparison.Ordinal);

        Assert.DoesNotContain(statements, s => s.Touches("secretsmanager:"));
        Assert.Empty(stack.OfType("AWS::SecretsManager::Secret"));
    }

    [Fact]
    public void Campaign_data_parameters_are_readable_by_the_sender_only_when_a_Connect_instance_is_given()
    {
        var stack = Deployments.MetaWithSecretAndConnect;
        var read = Assert.Single(stack.Statements(), s => s.Touches("ssm:"));
        Assert.Equal([stack.RoleOf(stack.FunctionId("bootstrap"))], read.Roles);
        Assert.EndsWith(""":parameter/whatsapp-channel/connect/*"]]}""", Assert.Single(read.Resources).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("/whatsapp-channel/connect",
            (string?)stack.Resources[stack.FunctionId("bootstrap")]!["Properties"]!["Environment"]!["Variables"]!["CONNECT_DATA_PARAMETER_PREFIX"]);

        var meta = Stack("meta");
        Assert.Null(meta.Resources[meta.FunctionId("bootstrap")]!["Properties"]!["Environment"]!["Variables"]!["CONNECT_DATA_PARAMETER_PREFIX"]);
    }

    [Fact]
    public void A_custom_parameter_prefix_is_what_the_grant_and_the_variable_name()
    {
        var stack = Deployments.Everything;

        var read = Assert.Single(stack.Statements(), s => s.Touches("ssm:"));
        Assert.EndsWith(""":parameter/acme/whatsapp/*"]]}""", Assert.Single(read.Resources).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_function_writes_to_its_own_log_group_only()
    {
        var stack = Stack("meta");
        foreach (var handler in new[] { "bootstrap", "webhook" })
        {
            var function = stack.Resources[stack.FunctionId(handler)]!["Properties"]!;
            var logGroup = (string)function["LoggingConfig"]!["LogGroup"]!["Ref"]!;
            var writes = Assert.Single(stack.Statements(), s => s.Roles.Contains(stack.RoleOf(stack.FunctionId(handler))) && s.Touches("logs:"));
            Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], writes.Actions.Order());
            Assert.Equal($$"""{"Fn::GetAtt":["{{logGroup}}","Arn"]}""", Assert.Single(writes.Resources).ToJsonString());
        }

        // No managed policy (AWSLambdaBasicExecutionRole allows every log group).
        Assert.All(stack.OfType("AWS::IAM::Role"), r => Assert.Null(r.Properties["ManagedPolicyArns"]));
    }

    [Fact]
    public void The_campaign_role_invokes_the_sender_reads_and_writes_its_own_bucket_prefixes_and_runs_its_own_executions()
    {
        var stack = Stack("meta");
        var machine = stack.Single("AWS::StepFunctions::StateMachine", _ => true).Properties;
        var role = (string)machine["RoleArn"]!["Fn::GetAtt"]![0]!;
        var statements = stack.Statements().Where(s => s.Roles.Contains(role)).ToList();
        var senderId = stack.FunctionId("bootstrap");
        var bucketId = stack.Single("AWS::S3::Bucket", _ => true).Id;

        var invoke = Assert.Single(statements, s => s.Grants("lambda:InvokeFunction"));
        Assert.Equal($$"""{"Fn::GetAtt":["{{senderId}}","Arn"]}""", Assert.Single(invoke.Resources).ToJsonString());
        var audiences = Assert.Single(statements, s => s.Actions.SequenceEqual(["s3:GetObject"]));
        Assert.Equal($$"""{"Fn::Join":["",[{"Fn::GetAtt":["{{bucketId}}","Arn"]},"/audiences/*"]]}""", Assert.Single(audiences.Resources).ToJsonString());
        var results = Assert.Single(statements, s => s.Grants("s3:PutObject"));
        Assert.Equal($$"""{"Fn::Join":["",[{"Fn::GetAtt":["{{bucketId}}","Arn"]},"/results/*"]]}""", Assert.Single(results.Resources).ToJsonString());
        var start = Assert.Single(statements, s => s.Grants("states:StartExecution"));
        Assert.EndsWith(""":stateMachine:WhatsAppChannel-campaign"]]}""", Assert.Single(start.Resources).ToJsonString(), StringComparison.Ordinal);
        var executions = Assert.Single(statements, s => s.Grants("states:RedriveExecution"));
        Assert.Equal(["states:DescribeExecution", "states:RedriveExecution", "states:StopExecution"], executions.Actions.Order());
        Assert.EndsWith(""":execution:WhatsAppChannel-campaign/*"]]}""", Assert.Single(executions.Resources).ToJsonString(), StringComparison.Ordinal);
    }
}
