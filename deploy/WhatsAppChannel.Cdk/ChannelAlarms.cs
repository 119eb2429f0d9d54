using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace WhatsAppChannel.Cdk;

/// <summary>What an operator is woken for: too many failed sends (the sender's EMF counts), the number's throughput
/// limit (Meta's 130429, or End User Messaging's throttling errors) still failing sends after retries, Lambda
/// throttles and errors, a burst of rejected webhook calls (bad signatures answer 401), failed campaign executions.
/// With an e-mail, each alarm notifies it.</summary>
internal sealed class ChannelAlarms : Construct
{
    /// <summary>The namespace and dimension the function's Embedded Metric Format documents use.</summary>
    public const string MetricNamespace = "WhatsAppChannel";
    public const string ThrottledMetricName = "MetaThrottled";

    private static readonly Duration Period = Duration.Minutes(5);

    private readonly List<Alarm> _alarms = [];

    public ChannelAlarms(WhatsAppChannelStack stack, string id, StackSettings settings)
        : base(stack, id)
    {
        ArgumentNullException.ThrowIfNull(settings);

        Metric Emf(string name) => new(new MetricProps
        {
            Namespace = MetricNamespace,
            MetricName = name,
            DimensionsMap = new Dictionary<string, string>(StringComparer.Ordinal) { ["Service"] = stack.Sender.FunctionName },
            Statistic = "Sum",
            Period = Period,
        });

        var failedRatio = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(sent + failed > 0, 100 * failed / (sent + failed), 0)",
            UsingMetrics = new Dictionary<string, IMetric>(StringComparer.Ordinal) { ["sent"] = Emf("Sent"), ["failed"] = Emf("Failed") },
            Label = "Failed sends (%)",
            Period = Period,
        });
        Add(failedRatio.CreateAlarm(this, "FailedRatio", new CreateAlarmOptions
        {
            AlarmDescription = $"More than {settings.FailedRatioAlarmPercent}% of the sends attempted in 5 minutes failed.",
            Threshold = settings.FailedRatioAlarmPercent,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        // Each failed endpoint is one log line with its error code: Meta's 130429, or the error type End User Messaging
        // answers when it throttles the send (that transport logs the type when the message carries no Meta code).
        var throttledFilter = new MetricFilter(this, "MetaThrottledFilter", new MetricFilterProps
        {
            LogGroup = stack.Sender.LogGroup,
            // Only the endpoint lines that failed: the per-attempt "throughput exceeded" warning carries the code too.
            FilterPattern = FilterPattern.All(FilterPattern.StringValue("$.status", "=", "failed"), settings.Transport == Transport.Aws
                ? FilterPattern.Any(
                    FilterPattern.StringValue("$.code", "=", "130429"),
                    FilterPattern.StringValue("$.code", "=", "ThrottledRequestException"),
                    FilterPattern.StringValue("$.code", "=", "ThrottlingException"))
                : FilterPattern.StringValue("$.code", "=", "130429")),
            MetricNamespace = MetricNamespace,
            MetricName = ThrottledMetricName,
            MetricValue = "1",
            DefaultValue = 0,
        });
        Add(throttledFilter.Metric(new MetricOptions { Statistic = "Sum", Period = Period }).CreateAlarm(this, "MetaThrottled", new CreateAlarmOptions
        {
            AlarmDescription = "Sends failed for the number's throughput (Meta's 130429, or AWS throttling) after retries: lower WHATSAPP_THROUGHPUT_PER_SECOND or the map's concurrency.",
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        Add(stack.Sender.MetricThrottles(new MetricOptions { Statistic = "Sum", Period = Period }).CreateAlarm(this, "SenderThrottles", Above(0,
            "Lambda throttled the sender (reserved concurrency or the account limit).")));
        Add(stack.Sender.MetricErrors(new MetricOptions { Statistic = "Sum", Period = Period }).CreateAlarm(this, "SenderErrors", Above(0,
            "The sender failed invocations (invalid event, configuration, token or ledger unavailable).")));
        Add(stack.Webhook.MetricErrors(new MetricOptions { Statistic = "Sum", Period = Period }).CreateAlarm(this, "WebhookErrors", Above(0,
            "The webhook failed invocations.")));
        var rejected = new Metric(new MetricProps
        {
            Namespace = "AWS/Lambda",
            MetricName = "Url4xxCount",
            DimensionsMap = new Dictionary<string, string>(StringComparer.Ordinal) { ["FunctionName"] = stack.Webhook.FunctionName },
            Statistic = "Sum",
            Period = Period,
        });
        Add(rejected.CreateAlarm(this, "WebhookRejected", Above(20,
            "More than 20 webhook calls in 5 minutes were rejected (401 bad signature, 403 bad verify token): a wrong FB_APP_SECRET or someone probing the URL.")));
        Add(stack.Campaigns.StateMachine.MetricFailed(new MetricOptions { Statistic = "Sum", Period = Period }).CreateAlarm(this, "CampaignFailed", Above(0,
            "A campaign execution failed.")));

        if (settings.AlarmEmail is not null)
        {
            var topic = new Topic(this, "Topic", new TopicProps { EnforceSSL = true });
            topic.AddSubscription(new EmailSubscription(settings.AlarmEmail));
            foreach (var alarm in _alarms)
            {
                alarm.AddAlarmAction(new SnsAction(topic));
            }
        }
    }

    private static CreateAlarmOptions Above(double threshold, string description) => new()
    {
        AlarmDescription = description,
        Threshold = threshold,
        ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
        EvaluationPeriods = 1,
        TreatMissingData = TreatMissingData.NOT_BREACHING,
    };

    private void Add(Alarm alarm) => _alarms.Add(alarm);
}
