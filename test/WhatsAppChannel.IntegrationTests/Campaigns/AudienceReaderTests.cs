using WhatsAppChannel.Local.Campaigns;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.IntegrationTests.Campaigns;

/// <summary>Audience files as marketers write them: CSV from a spreadsheet, JSON Lines from an export, and the ways
/// they go wrong. Rows map as a Distributed Map flat row does.</summary>
public sealed class AudienceReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("audience-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static async Task<List<AudienceRow>> ReadAsync(string path)
    {
        var rows = new List<AudienceRow>();
        await foreach (var row in AudienceReader.ReadAsync(path, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<string> ErrorAsync(string path)
    {
        var error = await Assert.ThrowsAsync<AudienceException>(() => ReadAsync(path));
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public async Task Csv_columns_map_to_endpoint_fields_and_the_rest_to_user_attributes()
    {
        var path = File("a.csv", "EndpointId,Address,FirstName,OptOut,EndpointStatus,Locale,Plan\n" +
            "c-1,+14155550100,Mary,NONE,ACTIVE,en_GB,gold\n" +
            "c-2,+447700900101,,ALL,INACTIVE,,\n");

        var rows = await ReadAsync(path);

        Assert.Equal(2, rows.Count);
        var mary = rows[0];
        Assert.Equal((2L, "c-1", "+14155550100", "NONE", "ACTIVE", "en_GB"), (mary.Line, mary.EndpointId, mary.Address, mary.OptOut, mary.EndpointStatus, mary.Locale));
        Assert.Equal([KeyValuePair.Create("FirstName", "Mary"), KeyValuePair.Create("Plan", "gold")], mary.Attributes);
        Assert.Equal(("ALL", "INACTIVE", (string?)null), (rows[1].OptOut, rows[1].EndpointStatus, rows[1].Locale));
        Assert.Empty(rows[1].Attributes);
    }

    [Fact]
    public async Task A_phone_column_is_the_number_and_header_case_does_not_matter()
    {
        var rows = await ReadAsync(File("p.csv", "PHONE,endpointid,firstname\n+14155550100,x-1,Ann\n"));

        Assert.Equal(("+14155550100", "x-1"), (rows[0].Address, rows[0].EndpointId));
        Assert.Equal([KeyValuePair.Create("firstname", "Ann")], rows[0].Attributes);
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_quotes_and_line_breaks_and_a_bom_is_ignored()
    {
        var rows = await ReadAsync(File("q.csv", "\uFEFFAddress,Item\n+14155550100,\"socks, \"\"wool\"\"\nand a hat\"\n"));

        Assert.Equal([KeyValuePair.Create("Item", "socks, \"wool\"\nand a hat")], Assert.Single(rows).Attributes);
    }

    [Fact]
    public async Task Json_lines_take_flat_rows_and_pinpoint_user_attributes_and_skip_blank_lines()
    {
        var path = File("a.jsonl",
            "{\"Address\":\"+14155550100\",\"EndpointId\":\"c-1\",\"Visits\":3,\"Vip\":true,\"Note\":null}\n" +
            "\n" +
            "{\"phone\":\"+447700900101\",\"Locale\":\"en_GB\",\"User\":{\"UserAttributes\":{\"FirstName\":[\"Ann\"],\"City\":\"Leeds\"}}}\n");

        var rows = await ReadAsync(path);

        Assert.Equal(2, rows.Count);
        Assert.Equal([KeyValuePair.Create("Visits", "3"), KeyValuePair.Create("Vip", "true")], rows[0].Attributes);
        Assert.Equal((3L, "+447700900101", "en_GB"), (rows[1].Line, rows[1].Address, rows[1].Locale));
        Assert.Equal([KeyValuePair.Create("FirstName", "Ann"), KeyValuePair.Create("City", "Leeds")], rows[1].Attributes);
    }

    [Fact]
    public async Task A_missing_file_is_one_line_naming_it()
    {
        var message = await ErrorAsync(Path.Combine(_folder, "nowhere.csv"));

        Assert.Contains("nowhere.csv", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_without_a_phone_column_is_refused_before_any_row()
    {
        var message = await ErrorAsync(File("n.csv", "Name,City\nMary,Leeds\n"));

        Assert.Contains("no phone number column", message, StringComparison.Ordinal);
        Assert.Contains("Name, City", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_with_more_fields_than_the_header_names_its_line()
    {
        var message = await ErrorAsync(File("r.csv", "Address,Name\n+14155550100,Mary\n+14155550101,Ann,extra\n"));

        Assert.Contains("line 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unterminated_quote_is_malformed_csv_at_its_line()
    {
        var message = await ErrorAsync(File("u.csv", "Address,Name\n+14155550100,Mary\n+14155550101,\"Ann\n"));

        Assert.Contains("line 3: malformed CSV", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_header_column_is_refused()
    {
        var message = await ErrorAsync(File("h.csv", "Address,Name,name\n+14155550100,Mary,M\n"));

        Assert.Contains("'name' appears twice", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{\"Address\":\"+14155550100\"}\n{\"Address\": \"+1415\n", "line 2: not JSON")]
    [InlineData("[\"+14155550100\"]\n", "line 1: expected a JSON object")]
    [InlineData("{\"Address\":\"+14155550100\",\"Tags\":{\"a\":1}}\n", "line 1: 'Tags' is an object")]
    [InlineData("{\"Name\":\"Mary\"}\n", "line 1: no phone number")]
    public async Task Bad_json_lines_name_the_line_and_the_fault(string content, string expected)
    {
        var message = await ErrorAsync(File("bad.jsonl", content));

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_screen_gives_default_ids_and_reports_a_repeated_number_under_any_spelling()
    {
        var screen = new AudienceScreen(new PhoneNumberNormalizer(null), "a.csv");

        var first = screen.Admit(Row(2, null, "+14155550100"));
        var again = screen.Admit(Row(3, null, "+1 (415) 555-0100"));
        var invalid = screen.Admit(Row(4, null, "+1 555"));
        var named = screen.Admit(Row(5, "c-9", "+447700900101"));

        Assert.Equal(("14155550100", (long?)null), (first.EndpointId, first.DuplicateOfLine));
        Assert.Equal(2, again.DuplicateOfLine);
        Assert.Equal(("line-4", (long?)null), (invalid.EndpointId, invalid.DuplicateOfLine));
        Assert.Equal("c-9", named.EndpointId);
    }

    [Fact]
    public void The_screen_refuses_an_endpoint_id_given_twice()
    {
        var screen = new AudienceScreen(new PhoneNumberNormalizer(null), "a.csv");
        screen.Admit(Row(2, "c-1", "+14155550100"));

        var error = Assert.Throws<AudienceException>(() => screen.Admit(Row(7, "c-1", "+14155550101")));

        Assert.Equal("a.csv line 7: duplicate EndpointId 'c-1' (endpoint ids must be unique)", error.Message);
    }

    private static AudienceRow Row(long line, string? endpointId, string address) => new(line, endpointId, address, null, null, null, []);
}
