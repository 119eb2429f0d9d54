using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace WhatsAppChannel.Cdk;

/// <summary>The whole system in one stack: the sender and the webhook (one AOT binary, two handlers), the ledger
/// table, the app secret, the campaign state machine and its bucket, the invoke permissions, the alarms.
/// Every grant names its one resource.</summary>
internal sealed class WhatsAppChannelStack : Stack
{
    private const string LedgerKey = "id";
    private const string LedgerTimeToLive = "expiresAt";

    public WhatsAppChannelStack(Construct scope, string id, StackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var aws = settings.Transport == Transport.Aws;

        // Values only the operator knows and that do not belong in source control are stack parameters.
        // The sending number: Meta's numeric id, or with the aws transport the End User Messaging Social origination id.
        var phoneNumberId = aws
            ? new CfnParameter(this, "EumsPhoneNumberId", new CfnParameterProps
            {
                Type = "String",
                AllowedPattern = "^phone-number-id-[A-Za-z0-9]+$",
                Description = "The AWS End User Messaging Social origination number id (phone-number-id-...).",
            })
            : new CfnParameter(this, "PhoneNumberId", new CfnParameterProps
            {
                Type = "String",
                AllowedPattern = "^[0-9]+$",
                Description = "The WhatsApp phone number id (Meta's numeric id of the sending number).",
            });
        // Only Meta verifies a webhook URL by its token; with the aws transport AWS receives Meta's webhook.
        var verifyToken = aws ? null : new CfnParameter(this, "WebhookVerifyToken", new CfnParameterProps
        {
            Type = "String",
            NoEcho = true,
            MinLength = 16,
            Description = "The verify token you also type into Meta's webhook settings (16 characters or more).",
        });

        // With the aws transport AWS holds the Meta credentials and receives Meta's webhook, so there is no secret at all.
        ISecret? secret = aws ? null : settings.SecretArn is null
            ? new Secret(this, "AppSecret", new SecretProps
            {
                Description = "WhatsApp app token (FB_APP_TOKEN) and app secret (FB_APP_SECRET): put the real values after the first deploy.",
                SecretObjectValue = new Dictionary<string, SecretValue>(StringComparer.Ordinal)
                {
                    ["FB_APP_TOKEN"] = SecretValue.UnsafePlainText("replace-me"),
                    ["FB_APP_SECRET"] = SecretValue.UnsafePlainText("replace-me"),
                },
            })
            : Secret.FromSecretCompleteArn(this, "AppSecret", settings.SecretArn);

        var table = new Table(this, "Ledger", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = LedgerKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            TimeToLiveAttribute = LedgerTimeToLive,
            PointInTimeRecovery = true,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        if (!File.Exists(settings.AssetPath) && !Directory.Exists(settings.AssetPath))
        {
            throw new ArgumentException(
                $"context 'assetPath' is '{settings.AssetPath}', which does not exist: run src/WhatsAppChannel.Bootstrap/package.sh "
                + (settings.Arm64 ? "arm64" : "x86_64") + " first, or pass -c assetPath=<zip or directory holding bootstrap>.");
        }

        var code = Code.FromAsset(settings.AssetPath);
        var architecture = settings.Arm64 ? Architecture.ARM_64 : Architecture.X86_64;

        var numbers = Numbers(settings, phoneNumberId);
        var senderEnvironment = new Dictionary<string, string>(numbers, StringComparer.Ordinal)
        {
            ["IDEMPOTENCY_TABLE"] = table.TableName,
            ["WHATSAPP_THROUGHPUT_PER_SECOND"] = settings.ThroughputPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The per-instance cap (80 by default) may not be lower than the number's budget: one instance alone may use it all.
            ["SEND_RATE_PER_SECOND"] = settings.ThroughputPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTION_TIMEOUT_SECONDS"] = "30",
        };
        if (secret is not null)
        {
            senderEnvironment["FB_SECRET_ARN"] = secret.SecretArn;
        }

        if (settings.ConnectInstanceId is not null)
        {
            senderEnvironment["CONNECT_DATA_PARAMETER_PREFIX"] = settings.ConnectDataParameterPrefix;
        }

        // One binary serves both functions: the AOT bootstrap picks the handler from _HANDLER, which Lambda sets from
        // Handler. Each function has its own log group and a role that may write only there.
        Function BootstrapFunction(string id, string handler, string description, int timeoutSeconds, Dictionary<string, string> environment, int? reservedConcurrency = null)
        {
            var logs = LogGroupWithRetention(id + "Logs", settings.LogRetentionDays);
            return new Function(this, id, new FunctionProps
            {
                Description = description,
                Runtime = Runtime.PROVIDED_AL2023,
                Handler = handler,
                Code = code,
                Architecture = architecture,
                MemorySize = 256,
                Timeout = Duration.Seconds(timeoutSeconds),
                ReservedConcurrentExecutions = reservedConcurrency,
                Role = RoleWritingTo(id + "Role", logs),
                LogGroup = logs,
                Environment = environment,
            });
        }

        Sender = BootstrapFunction(
            "Sender", "bootstrap", "WhatsApp Channel sender: Pinpoint, Step Functions batches and Connect custom actions.", 30, senderEnvironment,
            settings.ReservedConcurrency);

        var webhookEnvironment = new Dictionary<string, string>(numbers, StringComparer.Ordinal)
        {
            ["IDEMPOTENCY_TABLE"] = table.TableName,
        };
        if (verifyToken is not null)
        {
            webhookEnvironment["WHATSAPP_WEBHOOK_VERIFY_TOKEN"] = verifyToken.ValueAsString;
        }

        if (secret is not null)
        {
            webhookEnvironment["FB_SECRET_ARN"] = secret.SecretArn;
        }

        if (settings.OptOutKeywords is not null)
        {
            webhookEnvironment["WHATSAPP_OPT_OUT_KEYWORDS"] = settings.OptOutKeywords;
        }

        Webhook = BootstrapFunction("Webhook", "webhook", "WhatsApp Channel webhook: delivery statuses, replies and opt-outs.", 10, webhookEnvironment);

        // Meta signs its posts (x-hub-signature-256), so the URL itself is public.
        var webhookUrl = Webhook.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.NONE });
        // Function URLs created since October 2025 also need lambda:InvokeFunction, limited to calls through the URL.
        var urlInvoke = new CfnPermission(this, "WebhookUrlInvoke", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = Webhook.FunctionArn,
            Principal = "*",
        });
        urlInvoke.AddPropertyOverride("InvokedViaFunctionUrl", true);

        GrantLeastPrivilege(settings, secret, table, phoneNumberId);

        Topic? eventsTopic = null;
        if (aws)
        {
            // AWS End User Messaging Social publishes the WhatsApp events to this topic (its event destination).
            eventsTopic = new Topic(this, "WhatsAppEvents", new TopicProps { EnforceSSL = true });
            eventsTopic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Principals = [new ServicePrincipal("social-messaging.amazonaws.com")],
                Actions = ["sns:Publish"],
                Resources = [eventsTopic.TopicArn],
                Conditions = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["StringEquals"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                },
            }));
            eventsTopic.AddSubscription(new LambdaSubscription(Webhook));
        }

        AddInvokePermissions(settings);

        Campaigns = new CampaignStateMachine(this, "Campaigns", Sender, settings.MapMaxConcurrency);
        _ = new ChannelAlarms(this, "Alarms", settings);

        Output("WebhookUrl", webhookUrl.Url, "Callback URL for Meta's webhook settings.");
        Output("SenderFunctionArn", Sender.FunctionArn, "The sender: Pinpoint custom channel, Connect custom action, state machine task.");
        Output("WebhookFunctionArn", Webhook.FunctionArn, "The webhook function.");
        Output("CampaignStateMachineArn", Campaigns.StateMachine.StateMachineArn, "Start an execution with {\"audience\":{\"Bucket\",\"Key\"},\"Data\",\"CampaignId\"}.");
        Output("CampaignBucketName", Campaigns.Bucket.BucketName, "Audiences in (audiences/), results out (results/).");
        Output("LedgerTableName", table.TableName, "The idempotency ledger.");
        if (secret is not null)
        {
            Output("AppSecretArn", secret.SecretArn, "Holds FB_APP_TOKEN and FB_APP_SECRET.");
        }

        if (eventsTopic is not null)
        {
            Output("EventsTopicArn", eventsTopic.TopicArn, "Event destination to set in AWS End User Messaging Social.");
        }
    }

    public Function Sender { get; }

    public Function Webhook { get; }

    public CampaignStateMachine Campaigns { get; }

    private LogGroup LogGroupWithRetention(string id, int days)
    {
        var group = new LogGroup(this, id, new LogGroupProps { RemovalPolicy = RemovalPolicy.DESTROY });
        // RetentionDays is a named enum in the CDK; the CloudFormation property takes the number the operator gave.
        ((CfnLogGroup)group.Node.DefaultChild!).RetentionInDays = days;
        return group;
    }

    /// <summary>A function role that may write to its own log group only (in place of the managed basic
    /// execution policy, which allows every log group).</summary>
    private Role RoleWritingTo(string id, LogGroup logGroup)
    {
        var role = new Role(this, id, new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        logGroup.Grant(role, "logs:CreateLogStream", "logs:PutLogEvents");
        return role;
    }

    /// <summary>The variables naming the sending number and the further numbers an event may pick.</summary>
    private static Dictionary<string, string> Numbers(StackSettings settings, CfnParameter phoneNumberId)
    {
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.Transport == Transport.Aws)
        {
            numbers["WHATSAPP_TRANSPORT"] = "aws";
            numbers["AWS_EUMS_PHONE_NUMBER_ID"] = phoneNumberId.ValueAsString;
        }
        else
        {
            numbers["FB_BUSINESS_PHONE_ID"] = phoneNumberId.ValueAsString;
        }

        if (settings.PhoneNumberIds.Count > 0)
        {
            numbers[settings.Transport == Transport.Aws ? "AWS_EUMS_PHONE_NUMBER_IDS" : "WHATSAPP_PHONE_NUMBER_IDS"] =
                string.Join(",", settings.PhoneNumberIds);
        }

        return numbers;
    }

    private void GrantLeastPrivilege(StackSettings settings, ISecret? secret, Table table, CfnParameter phoneNumberId)
    {
        // The ledger's item calls; no Scan or Query: the funnel report reads the table from an operator's machine.
        // The sender claims, completes and releases sends, looks opt-outs up in batches and shares the throughput
        // budget; the webhook only updates message items (statuses, a lost answer's claim) and puts or deletes opt-outs.
        table.Grant(Sender, "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        table.Grant(Webhook, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");

        // Meta transport: the webhook checks Meta's signatures with FB_APP_SECRET, the sender calls Meta with FB_APP_TOKEN.
        if (secret is not null)
        {
            secret.GrantRead(Webhook);
            secret.GrantRead(Sender);
        }
        else
        {
            // An origination id is phone-number-id-<id>; its ARN ends phone-number-id/<id>.
            var ids = settings.PhoneNumberIds.Select(id => id["phone-number-id-".Length..])
                .Prepend(Fn.Select(1, Fn.Split("phone-number-id-", phoneNumberId.ValueAsString)));
            Sender.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["social-messaging:SendWhatsAppMessage"],
                Resources =
                [
                    .. ids.Select(id => FormatArn(new ArnComponents
                    {
                        Service = "social-messaging",
                        Resource = "phone-number-id",
                        ResourceName = id,
                        ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
                    })),
                ],
            }));
        }

        if (settings.ConnectInstanceId is not null)
        {
            Sender.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["ssm:GetParameter"],
                Resources =
                [
                    FormatArn(new ArnComponents
                    {
                        Service = "ssm",
                        Resource = "parameter",
                        ResourceName = settings.ConnectDataParameterPrefix.TrimStart('/') + "/*",
                        ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
                    }),
                ],
            }));
        }
    }

    private void AddInvokePermissions(StackSettings settings)
    {
        if (settings.PinpointApplicationId is not null)
        {
            // As AWS's custom-channel guide shows: Pinpoint's regional principal and this account. Pinpoint names the
            // campaign or journey as the source (apps/<id>/campaigns/...); ids have a fixed 32 characters, so the
            // trailing * reaches this project's campaigns and journeys only.
            Sender.AddPermission("PinpointInvoke", new Permission
            {
                Action = "lambda:InvokeFunction",
                Principal = new ServicePrincipal($"pinpoint.{Aws.REGION}.amazonaws.com"),
                SourceAccount = Aws.ACCOUNT_ID,
                SourceArn = FormatArn(new ArnComponents
                {
                    Service = "mobiletargeting",
                    Resource = "apps",
                    ResourceName = settings.PinpointApplicationId + "*",
                    ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
                }),
            });
        }

        if (settings.ConnectInstanceId is not null)
        {
            // Outbound campaigns call a custom action's function as connect-campaigns.amazonaws.com (Connect's
            // "Invoke Lambda functions" guide), not as connect.amazonaws.com, the principal of contact flows.
            Sender.AddPermission("ConnectInvoke", new Permission
            {
                Action = "lambda:InvokeFunction",
                Principal = new ServicePrincipal("connect-campaigns.amazonaws.com"),
                SourceAccount = Aws.ACCOUNT_ID,
                SourceArn = FormatArn(new ArnComponents
                {
                    Service = "connect",
                    Resource = "instance",
                    ResourceName = settings.ConnectInstanceId,
                    ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
                }),
            });
        }
    }

    private void Output(string name, string value, string description) =>
        _ = new CfnOutput(this, name, new CfnOutputProps { Value = value, Description = description });
}
