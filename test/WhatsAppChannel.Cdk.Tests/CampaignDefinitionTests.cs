using System.Text.Json.Nodes;

namespace WhatsAppChannel.Cdk.Tests;

/// <summary>The campaign state machine's Amazon States Language: the input contract
/// {"audience":{"Bucket","Key"},"Data","CampaignId"} becomes sender batches of 50 in the event shape the
/// handler reads ({"BatchInput":{"Data","CampaignId","RunId"},"Items":[...]}).</summary>
public sealed class CampaignDefinitionTests
{
    private static readonly JsonNode Definition = JsonNode.Parse(CampaignStateMachine.Definition(maxConcurrency: 3))!;

    private static JsonNode State(string name) => Definition["States"]![name]!;

    [Fact]
    public void The_audience_extension_picks_the_reader_JSON_Lines_for_jsonl_CSV_otherwise()
    {
        var choice = State((string)Definition["StartAt"]!);

        Assert.Equal("Choice", (string?)choice["Type"]);
        var rule = Assert.Single(choice["Choices"]!.AsArray())!;
        Assert.Equal("$.audience.Key", (string?)rule["Variable"]);
        Assert.Equal("*.jsonl", (string?)rule["StringMatches"]);
        Assert.Equal("JSONL", (string?)State((string)rule["Next"]!)["ItemReader"]!["ReaderConfig"]!["InputType"]);
        var csv = State((string)choice["Default"]!)["ItemReader"]!["ReaderConfig"]!;
        Assert.Equal("CSV", (string?)csv["InputType"]);
        Assert.Equal("FIRST_ROW", (string?)csv["CSVHeaderLocation"]);
    }

    [Theory]
    [InlineData("Send CSV audience")]
    [InlineData("Send JSON Lines audience")]
    public void Each_map_reads_the_input_object_and_batches_50_with_the_campaign_fields(string name)
    {
        var map = State(name);

        Assert.Equal("Map", (string?)map["Type"]);
        Assert.Equal("DISTRIBUTED", (string?)map["ItemProcessor"]!["ProcessorConfig"]!["Mode"]);
        Assert.Equal("arn:aws:states:::s3:getObject", (string?)map["ItemReader"]!["Resource"]);
        Assert.Equal("""{"Bucket.$":"$.audience.Bucket","Key.$":"$.audience.Key"}""", map["ItemReader"]!["Parameters"]!.ToJsonString());
        Assert.Equal(50, (int)map["ItemBatcher"]!["MaxItemsPerBatch"]!);
        Assert.Equal("""{"Data.$":"$.Data","CampaignId.$":"$.CampaignId","RunId.$":"$$.Execution.Name"}""", map["ItemBatcher"]!["BatchInput"]!.ToJsonString());
        Assert.Equal(3, (int)map["MaxConcurrency"]!);
        Assert.Equal("arn:aws:states:::s3:putObject", (string?)map["ResultWriter"]!["Resource"]);
        Assert.Equal("""{"Bucket":"${BucketName}","Prefix":"results"}""", map["ResultWriter"]!["Parameters"]!.ToJsonString());
        Assert.True((bool)map["End"]!);
    }

    [Fact]
    public void The_batch_goes_to_the_sender_whole_and_its_answer_is_the_result()
    {
        var processor = State("Send CSV audience")["ItemProcessor"]!;
        var task = processor["States"]![(string)processor["StartAt"]!]!;

        Assert.Equal("arn:aws:states:::lambda:invoke", (string?)task["Resource"]);
        Assert.Equal("""{"FunctionName":"${SenderArn}","Payload.$":"$"}""", task["Parameters"]!.ToJsonString());
        Assert.Equal("$.Payload", (string?)task["OutputPath"]);
        var retried = task["Retry"]![0]!["ErrorEquals"]!.AsArray().Select(e => (string)e!);
        Assert.Contains("Lambda.TooManyRequestsException", retried);
        Assert.True((bool)task["End"]!);
    }
}
