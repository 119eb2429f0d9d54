using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>What the stack creates: the two functions from one asset, the public webhook URL, the ledger table,
/// the campaign bucket and state machine, log groups with retention, outputs.</summary>
public sealed class ResourcesTests
{
    private static Dictionary<string, object> Props(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    [Fact]
    public void Sender_and_webhook_are_one_AOT_binary_on_provided_al2023_with_two_handlers()
    {
        var stack = Deployments.Defaults;

        stack.Template.HasResourceProperties("AWS::Lambda::Function", Props(
            ("Runtime", "provided.al2023"), ("Handler", "bootstrap"), ("MemorySize", 256), ("Timeout", 30), ("Architectures", new[] { "x86_64" })));
        stack.Template.HasResourceProperties("AWS::Lambda::Function", Props(
            ("Runtime", "provided.al2023"), ("Handler", "webhook"), ("MemorySize", 256), ("Architectures", new[] { "x86_64" })));
        var keys = stack.OfType("AWS::Lambda::Function").Select(f => f.Properties["Code"]!["S3Key"]!.ToJsonString()).Distinct();
        Assert.Single(keys);
    }

    [Fact]
    public void Architecture_arm64_and_reserved_concurrency_come_from_context()
    {
        var stack = Deployments.Everything;

        Assert.All(stack.OfType("AWS::Lambda::Function"), f => Assert.Equal("""["arm64"]""", f.Properties["Architectures"]!.ToJsonString()));
        var sender = stack.Resources[stack.FunctionId("bootstrap")]!["Properties"]!;
        Assert.Equal(20, (int)sender["ReservedConcurrentExecutions"]!);
        var defaults = Deployments.Defaults;
        Assert.Null(defaults.Resources[defaults.FunctionId("bootstrap")]!["Properties"]!["ReservedConcurrentExecutions"]);
    }

    [Fact]
    public void Functions_are_configured_with_the_names_the_code_reads()
    {
        var stack = Deployments.Defaults;
        var tableId = stack.Single("AWS::DynamoDB::Table", _ => true).Id;
        var secretId = stack.Single("AWS::SecretsManager::Secret", _ => true).Id;
        var sender = stack.Resources[stack.FunctionId("bootstrap")]!["Properties"]!["Environment"]!["Variables"]!.AsObject();
        var webhook = stack.Resources[stack.FunctionId("webhook")]!["Properties"]!["Environment"]!["Variables"]!.AsObject();

        Assert.Equal("""{"Ref":"PhoneNumberId"}""", sender["FB_BUSINESS_PHONE_ID"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{secretId}}"}""", sender["FB_SECRET_ARN"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{tableId}}"}""", sender["IDEMPOTENCY_TABLE"]!.ToJsonString());
        Assert.Equal("80", (string?)sender["WHATSAPP_THROUGHPUT_PER_SECOND"]);
        Assert.Equal("80", (string?)sender["SEND_RATE_PER_SECOND"]);
        Assert.Null(sender["WHATSAPP_TRANSPORT"]);
        Assert.Null(webhook["WHATSAPP_OPT_OUT_KEYWORDS"]);

        Assert.Equal($$"""{"Ref":"{{secretId}}"}""", webhook["FB_SECRET_ARN"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{tableId}}"}""", webhook["IDEMPOTENCY_TABLE"]!.ToJsonString());
        Assert.Equal("""{"Ref":"WebhookVerifyToken"}""", webhook["WHATSAPP_WEBHOOK_VERIFY_TOKEN"]!.ToJsonString());
    }

    [Fact]
    public void Aws_transport_names_the_origination_number_and_subscribes_the_webhook_to_the_events_topic()
    {
        var stack = Deployments.Everything;
        var sender = stack.Resources[stack.FunctionId("bootstrap")]!["Properties"]!["Environment"]!["Variables"]!.AsObject();
        var webhook = stack.Resources[stack.FunctionId("webhook")]!["Properties"]!["Environment"]!["Variables"]!.AsObject();
        var webhookId = stack.FunctionId("webhook");

        Assert.Equal("aws", (string?)sender["WHATSAPP_TRANSPORT"]);
        Assert.Equal("""{"Ref":"EumsPhoneNumberId"}""", sender["AWS_EUMS_PHONE_NUMBER_ID"]!.ToJsonString());
        Assert.Equal("phone-number-id-b2,phone-number-id-c3", (string?)sender["AWS_EUMS_PHONE_NUMBER_IDS"]);
        Assert.Null(sender["FB_BUSINESS_PHONE_ID"]);
        Assert.Null(sender["FB_SECRET_ARN"]);
        Assert.Null(webhook["FB_SECRET_ARN"]);
        Assert.Null(stack.Json["Outputs"]!["AppSecretArn"]);
        Assert.Equal("aws", (string?)webhook["WHATSAPP_TRANSPORT"]);
        Assert.Equal("""{"Ref":"EumsPhoneNumberId"}""", webhook["AWS_EUMS_PHONE_NUMBER_ID"]!.ToJsonString());
        Assert.Null(stack.Json["Parameters"]!["PhoneNumberId"]);
        Assert.Equal("250", (string?)sender["WHATSAPP_THROUGHPUT_PER_SECOND"]);
        Assert.Equal("250", (string?)sender["SEND_RATE_PER_SECOND"]);
        Assert.Equal("STOP,BAJA", (string?)webhook["WHATSAPP_OPT_OUT_KEYWORDS"]);
        Assert.Null(webhook["WHATSAPP_WEBHOOK_VERIFY_TOKEN"]);
        Assert.Null(stack.Json["Parameters"]!["WebhookVerifyToken"]);
        var subscription = stack.Single("AWS::SNS::Subscription", p => (string?)p["Protocol"] == "lambda").Properties;
        Assert.Equal($$"""{"Fn::GetAtt":["{{webhookId}}","Arn"]}""", subscription["Endpoint"]!.ToJsonString());
        var topicId = (string)subscription["TopicArn"]!["Ref"]!;
        Assert.Equal($$"""{"Ref":"{{topicId}}"}""", stack.Json["Outputs"]!["EventsTopicArn"]!["Value"]!.ToJsonString());
        var policy = stack.Single("AWS::SNS::TopicPolicy", p => p["Topics"]!.ToJsonString() == $$"""[{"Ref":"{{topicId}}"}]""")
            .Properties["PolicyDocument"]!.ToJsonString();
        Assert.Contains("""{"Service":"social-messaging.amazonaws.com"}""", policy, StringComparison.Ordinal);
        Assert.Contains("""{"StringEquals":{"aws:SourceAccount":{"Ref":"AWS::AccountId"}}}""", policy, StringComparison.Ordinal);

        var meta = Deployments.Defaults;
        Assert.Empty(meta.OfType("AWS::SNS::Topic"));
        Assert.Null(meta.Json["Parameters"]!["EumsPhoneNumberId"]);
    }

    [Fact]
    public void The_webhook_has_a_public_function_URL_invokable_only_through_the_URL()
    {
        var stack = Deployments.Defaults;
        var webhookArn = $$"""{"Fn::GetAtt":["{{stack.FunctionId("webhook")}}","Arn"]}""";

        stack.Single("AWS::Lambda::Url", p => (string?)p["AuthType"] == "NONE" && p["TargetFunctionArn"]!.ToJsonString() == webhookArn);
        stack.Single("AWS::Lambda::Permission", p => (string?)p["Action"] == "lambda:InvokeFunctionUrl"
            && (string?)p["FunctionUrlAuthType"] == "NONE" && p["FunctionName"]!.ToJsonString() == webhookArn);
        stack.Single("AWS::Lambda::Permission", p => (string?)p["Action"] == "lambda:InvokeFunction"
            && (string?)p["Principal"] == "*" && p["InvokedViaFunctionUrl"] is JsonValue v && (bool)v);
        Assert.Single(stack.OfType("AWS::Lambda::Url"));
    }

    [Fact]
    public void The_ledger_table_is_on_demand_keyed_by_id_with_TTL_PITR_deletion_protection_and_retained()
    {
        var stack = Deployments.Defaults;

        stack.Template.HasResource("AWS::DynamoDB::Table", Props(
            ("Properties", Props(
                ("BillingMode", "PAY_PER_REQUEST"),
                ("KeySchema", new[] { Props(("AttributeName", "id"), ("KeyType", "HASH")) }),
                ("AttributeDefinitions", new[] { Props(("AttributeName", "id"), ("AttributeType", "S")) }),
                ("TimeToLiveSpecification", Props(("AttributeName", "expiresAt"), ("Enabled", true))),
                ("PointInTimeRecoverySpecification", Props(("PointInTimeRecoveryEnabled", true))),
                ("DeletionProtectionEnabled", true))),
            ("DeletionPolicy", "Retain"),
            ("UpdateReplacePolicy", "Retain")));
    }

    [Fact]
    public void A_secret_with_both_keys_is_created_unless_one_is_given_and_further_numbers_reach_both_functions()
    {
        var created = Deployments.Defaults;
        var secret = created.Single("AWS::SecretsManager::Secret", _ => true).Properties;
        var keys = JsonNode.Parse((string)secret["SecretString"]!)!.AsObject().Select(k => k.Key).Order();
        Assert.Equal(["FB_APP_SECRET", "FB_APP_TOKEN"], keys);

        const string Arn = Deployments.ExistingSecret;
        var given = Deployments.MetaWithSecretAndConnect;
        Assert.Empty(given.OfType("AWS::SecretsManager::Secret"));
        var reads = given.Statements().Where(s => s.Touches("secretsmanager:")).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, s => Assert.Equal(Arn, (string?)Assert.Single(s.Resources)));
        Assert.All(given.OfType("AWS::Lambda::Function"), f => Assert.Equal(Arn, (string?)f.Properties["Environment"]!["Variables"]!["FB_SECRET_ARN"]));
        Assert.All(given.OfType("AWS::Lambda::Function"), f => Assert.Equal("106540352242922,106540352242923",
            (string?)f.Properties["Environment"]!["Variables"]!["WHATSAPP_PHONE_NUMBER_IDS"]));
    }

    [Fact]
    public void The_campaign_bucket_is_encrypted_private_TLS_only_and_retained()
    {
        var stack = Deployments.Defaults;

        stack.Template.HasResource("AWS::S3::Bucket", Props(
            ("Properties", Props(
                ("BucketEncryption", Props(("ServerSideEncryptionConfiguration", new[] { Props(("ServerSideEncryptionByDefault", Props(("SSEAlgorithm", "AES256")))) }))),
                ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true))))),
            ("DeletionPolicy", "Retain")));
        var policy = stack.Single("AWS::S3::BucketPolicy", _ => true).Properties["PolicyDocument"]!.ToJsonString();
        Assert.Contains("""{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":{"AWS":"*"}""", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_machine_sends_the_audience_through_a_distributed_map_to_the_sender()
    {
        var stack = Deployments.Everything;
        var machine = stack.Single("AWS::StepFunctions::StateMachine", _ => true).Properties;
        var senderId = stack.FunctionId("bootstrap");
        var bucketId = stack.Single("AWS::S3::Bucket", _ => true).Id;

        Assert.Equal($$"""{"Fn::GetAtt":["{{senderId}}","Arn"]}""", machine["DefinitionSubstitutions"]!["SenderArn"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{bucketId}}"}""", machine["DefinitionSubstitutions"]!["BucketName"]!.ToJsonString());
        var definition = JsonNode.Parse((string)machine["DefinitionString"]!)!;
        var maps = definition["States"]!.AsObject().Select(s => s.Value!).Where(s => (string?)s["Type"] == "Map").ToList();
        Assert.Equal(2, maps.Count);
        Assert.All(maps, map => Assert.Equal(8, (int)map["MaxConcurrency"]!));
    }

    [Fact]
    public void Log_groups_keep_logs_for_the_retention_given()
    {
        Assert.All(Deployments.Defaults.OfType("AWS::Logs::LogGroup"), g => Assert.Equal(30, (int)g.Properties["RetentionInDays"]!));
        var longer = Deployments.Everything;
        Assert.Equal(2, longer.OfType("AWS::Logs::LogGroup").Count());
        Assert.All(longer.OfType("AWS::Logs::LogGroup"), g => Assert.Equal(365, (int)g.Properties["RetentionInDays"]!));
    }

    [Fact]
    public void Outputs_give_the_webhook_URL_the_function_ARNs_the_state_machine_and_the_bucket()
    {
        var stack = Deployments.Defaults;
        var outputs = stack.Json["Outputs"]!.AsObject();

        Assert.Equal($$"""{"Fn::GetAtt":["{{stack.Single("AWS::Lambda::Url", _ => true).Id}}","FunctionUrl"]}""", outputs["WebhookUrl"]!["Value"]!.ToJsonString());
        Assert.Equal($$"""{"Fn::GetAtt":["{{stack.FunctionId("bootstrap")}}","Arn"]}""", outputs["SenderFunctionArn"]!["Value"]!.ToJsonString());
        Assert.Equal($$"""{"Fn::GetAtt":["{{stack.FunctionId("webhook")}}","Arn"]}""", outputs["WebhookFunctionArn"]!["Value"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{stack.Single("AWS::StepFunctions::StateMachine", _ => true).Id}}"}""", outputs["CampaignStateMachineArn"]!["Value"]!.ToJsonString());
        Assert.Equal($$"""{"Ref":"{{stack.Single("AWS::S3::Bucket", _ => true).Id}}"}""", outputs["CampaignBucketName"]!["Value"]!.ToJsonString());
    }
}
