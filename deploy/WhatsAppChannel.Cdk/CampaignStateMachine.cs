using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace WhatsAppChannel.Cdk;

/// <summary>Campaigns without Pinpoint: an execution's input <c>{"audience":{"Bucket","Key"},"Data","CampaignId"}</c>
/// names a CSV or JSON Lines audience; a Distributed Map reads it, hands the sender batches of 50 with
/// <c>BatchInput {Data, CampaignId, RunId}</c>, and writes the per-batch results to the bucket.</summary>
internal sealed class CampaignStateMachine : Construct
{
    public const int BatchSize = 50;
    public const string AudiencePrefix = "audiences/";
    public const string ResultsPrefix = "results";

    public CampaignStateMachine(Construct scope, string id, IFunction sender, int maxConcurrency)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var stack = Stack.Of(this);

        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // A fixed name lets the role name the state machine's own ARN (the map starts child executions of it)
        // without a circular reference between the role's policy and the state machine.
        var name = stack.StackName + "-campaign";
        var ownArn = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "stateMachine",
            ResourceName = name,
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        var executionsArn = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "execution",
            ResourceName = name + "/*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });

        var role = new Role(this, "Role", new RoleProps { AssumedBy = new ServicePrincipal("states.amazonaws.com") });
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["lambda:InvokeFunction"],
            Resources = [sender.FunctionArn],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources = [Bucket.ArnForObjects(AudiencePrefix + "*")],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
            Resources = [Bucket.ArnForObjects(ResultsPrefix + "/*")],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["states:StartExecution"],
            Resources = [ownArn],
        }));
        // Redrive resumes a failed map run under the same execution name, so with the same RunId and idempotency keys.
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"],
            Resources = [executionsArn],
        }));

        StateMachine = new StateMachine(this, "StateMachine", new StateMachineProps
        {
            StateMachineName = name,
            StateMachineType = StateMachineType.STANDARD,
            Role = role,
            DefinitionBody = DefinitionBody.FromString(Definition(maxConcurrency)),
            DefinitionSubstitutions = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["SenderArn"] = sender.FunctionArn,
                ["BucketName"] = Bucket.BucketName,
            },
        });
        StateMachine.Node.AddDependency(role);
    }

    public Bucket Bucket { get; }

    public StateMachine StateMachine { get; }

    /// <summary>The Amazon States Language: a Choice on the audience's extension, then the same Distributed Map
    /// for CSV (header row names the columns) or JSON Lines.</summary>
    internal static string Definition(int maxConcurrency) => $$"""
        {
          "Comment": "Sends a WhatsApp template campaign to an audience file in S3, 50 recipients per sender invocation.",
          "StartAt": "Audience format",
          "States": {
            "Audience format": {
              "Type": "Choice",
              "Choices": [ { "Variable": "$.audience.Key", "StringMatches": "*.jsonl", "Next": "Send JSON Lines audience" } ],
              "Default": "Send CSV audience"
            },
            "Send CSV audience": {{Map("""{ "InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW" }""", maxConcurrency)}},
            "Send JSON Lines audience": {{Map("""{ "InputType": "JSONL" }""", maxConcurrency)}}
          }
        }
        """;

    private static string Map(string readerConfig, int maxConcurrency) => $$"""
        {
          "Type": "Map",
          "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {{readerConfig}},
            "Parameters": { "Bucket.$": "$.audience.Bucket", "Key.$": "$.audience.Key" }
          },
          "ItemBatcher": {
            "MaxItemsPerBatch": {{BatchSize}},
            "BatchInput": { "Data.$": "$.Data", "CampaignId.$": "$.CampaignId", "RunId.$": "$$.Execution.Name" }
          },
          "MaxConcurrency": {{maxConcurrency}},
          "ItemProcessor": {
            "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
            "StartAt": "Send batch",
            "States": {
              "Send batch": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": { "FunctionName": "${SenderArn}", "Payload.$": "$" },
                "OutputPath": "$.Payload",
                "Retry": [ {
                  "ErrorEquals": [ "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException" ],
                  "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "JitterStrategy": "FULL"
                } ],
                "End": true
              }
            }
          },
          "ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": { "Bucket": "${BucketName}", "Prefix": "{{ResultsPrefix}}" }
          },
          "End": true
        }
        """;
}
