using System.Text.Json.Nodes;

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>The alarms read the metrics the function actually emits (EMF namespace WhatsAppChannel, dimension
/// Service = the function's name) and notify the e-mail only when one is given.</summary>
public sealed class AlarmsTests
{
    [Fact]
    public void The_failed_ratio_is_metric_math_over_the_senders_EMF_counts()
    {
        var stack = Deployments.Everything;
        var senderId = stack.FunctionId("bootstrap");
        var alarm = stack.Single("AWS::CloudWatch::Alarm", p => p["Metrics"] is not null).Properties;

        Assert.Equal(7, (int)alarm["Threshold"]!);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        var metrics = alarm["Metrics"]!.AsArray().Select(m => m!).ToList();
        var expression = Assert.Single(metrics, m => m["Expression"] is not null);
        Assert.Equal("IF(sent + failed > 0, 100 * failed / (sent + failed), 0)", (string?)expression["Expression"]);
        foreach (var (id, name) in new[] { ("sent", "Sent"), ("failed", "Failed") })
        {
            var metric = Assert.Single(metrics, m => (string?)m["Id"] == id)["MetricStat"]!["Metric"]!;
            Assert.Equal("WhatsAppChannel", (string?)metric["Namespace"]);
            Assert.Equal(name, (string?)metric["MetricName"]);
            Assert.Equal($$$"""[{"Name":"Service","Value":{"Ref":"{{{senderId}}}"}}]""", metric["Dimensions"]!.ToJsonString());
        }
    }

    [Fact]
    public void Meta_throttling_is_counted_from_the_senders_failure_log_lines()
    {
        AssertThrottleFilter(Deployments.Defaults, """{ ($.status = "failed") && ($.code = "130429") }""");
    }

    [Fact]
    public void Through_End_User_Messaging_its_throttling_errors_count_too()
    {
        AssertThrottleFilter(Deployments.Everything,
            """{ ($.status = "failed") && (($.code = "130429") || ($.code = "ThrottledRequestException") || ($.code = "ThrottlingException")) }""");
    }

    private static void AssertThrottleFilter(Synthesized stack, string pattern)
    {
        var senderLogs = (string)stack.Resources[stack.FunctionId("bootstrap")]!["Properties"]!["LoggingConfig"]!["LogGroup"]!["Ref"]!;
        var filter = stack.Single("AWS::Logs::MetricFilter", _ => true).Properties;

        Assert.Equal($$"""{"Ref":"{{senderLogs}}"}""", filter["LogGroupName"]!.ToJsonString());
        Assert.Equal(pattern, (string?)filter["FilterPattern"]);
        var transformation = filter["MetricTransformations"]![0]!;
        stack.Single("AWS::CloudWatch::Alarm", p => (string?)p["MetricName"] == (string?)transformation["MetricName"]
            && (string?)p["Namespace"] == (string?)transformation["MetricNamespace"]);
    }

    [Theory]
    [InlineData("AWS/Lambda", "Throttles", "bootstrap")]
    [InlineData("AWS/Lambda", "Errors", "bootstrap")]
    [InlineData("AWS/Lambda", "Errors", "webhook")]
    [InlineData("AWS/Lambda", "Url4xxCount", "webhook")]
    public void Lambda_metrics_alarm_per_function(string metricNamespace, string metricName, string handler)
    {
        var stack = Deployments.Defaults;
        var functionId = stack.FunctionId(handler);

        stack.Single("AWS::CloudWatch::Alarm", p => (string?)p["Namespace"] == metricNamespace && (string?)p["MetricName"] == metricName
            && p["Dimensions"]!.ToJsonString() == $$$"""[{"Name":"FunctionName","Value":{"Ref":"{{{functionId}}}"}}]""");
    }

    [Fact]
    public void Failed_campaign_executions_alarm()
    {
        var stack = Deployments.Defaults;
        var machineId = stack.Single("AWS::StepFunctions::StateMachine", _ => true).Id;

        stack.Single("AWS::CloudWatch::Alarm", p => (string?)p["Namespace"] == "AWS/States" && (string?)p["MetricName"] == "ExecutionsFailed"
            && p["Dimensions"]!.ToJsonString() == $$$"""[{"Name":"StateMachineArn","Value":{"Ref":"{{{machineId}}}"}}]""");
    }

    [Fact]
    public void An_alarm_email_gets_a_topic_every_alarm_notifies()
    {
        var stack = Deployments.Everything;
        var email = stack.Single("AWS::SNS::Subscription", p => (string?)p["Protocol"] == "email" && (string?)p["Endpoint"] == "ops@example.com");
        var topic = (string)email.Properties["TopicArn"]!["Ref"]!;
        var alarms = stack.OfType("AWS::CloudWatch::Alarm").ToList();
        Assert.Equal(7, alarms.Count);
        Assert.All(alarms, a => Assert.Equal($$"""[{"Ref":"{{topic}}"}]""", a.Properties["AlarmActions"]!.ToJsonString()));
    }

    [Fact]
    public void Without_an_email_the_alarms_exist_but_notify_nobody()
    {
        var stack = Deployments.Defaults;

        Assert.Empty(stack.OfType("AWS::SNS::Topic"));
        var alarms = stack.OfType("AWS::CloudWatch::Alarm").ToList();
        Assert.Equal(7, alarms.Count);
        Assert.All(alarms, a => Assert.Null(a.Properties["AlarmActions"]));
    }
}
