using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Xunit;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Planning;

public sealed partial class IdempotencyKeysTests
{
    private static string KeyOf(string? app, string? campaign, string? treatment, string? activity, string? scheduled, string endpoint, string data)
    {
        using var keys = new IdempotencyKeys(app, campaign, treatment, activity, scheduled, data);
        return keys.For(endpoint);
    }

    private static string Key(string? app = "app", string? campaign = "camp", string? treatment = "0", string? activity = "act",
        string? scheduled = "2022-10-08T19:00:16.843Z", string endpoint = "ep-1", string data = "{\"templateName\":\"t\"}") =>
        KeyOf(app, campaign, treatment, activity, scheduled, endpoint, data);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex LowerHexSha256();

    [Fact]
    public void Key_is_lowercase_hex_sha256()
    {
        Assert.Matches(LowerHexSha256(), Key());
    }

    [Fact]
    public void Same_fields_give_the_same_key()
    {
        Assert.Equal(Key(), Key());
    }

    [Fact]
    public void Key_is_stable_across_versions()
    {
        // Pins the encoding (changing it would let every recorded send go out again). The value was computed
        // outside .NET: sha256("whatsapp-channel/idempotency/v1\n" + "3:app;4:camp;1:0;3:act;24:...;4:ep-1;20:...;").
        Assert.Equal(PinnedKey, Key());
    }

    private const string PinnedKey = "772bc43807771d3d83ea7a24adef3998e4eeffe48b9f8bf2ea4320d089c33dc6";

    [Fact]
    public void Each_field_changes_the_key()
    {
        var keys = new[]
        {
            Key(),
            Key(app: "app2"),
            Key(campaign: "camp2"),
            Key(treatment: "1"),
            Key(activity: "act2"),
            Key(scheduled: "2022-10-08T19:00:16.844Z"),
            Key(endpoint: "ep-2"),
            Key(data: "{\"templateName\":\"u\"}"),
        };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Field_boundaries_matter()
    {
        Assert.NotEqual(Key(app: "ab", campaign: "c"), Key(app: "a", campaign: "bc"));
        Assert.NotEqual(Key(endpoint: "e", data: "1;2"), Key(endpoint: "e;1", data: "2"));
        Assert.NotEqual(Key(app: "1:x", campaign: ""), Key(app: "1", campaign: "x"));
    }

    [Fact]
    public void Null_differs_from_empty()
    {
        Assert.NotEqual(Key(campaign: null), Key(campaign: ""));
        Assert.NotEqual(Key(treatment: null, activity: "-;"), Key(treatment: "-;", activity: null));
    }

    [Fact]
    public void Non_ascii_text_is_encoded_by_bytes()
    {
        Assert.NotEqual(Key(data: "é"), Key(data: "e\u0301"));
        Assert.Matches(LowerHexSha256(), Key(data: "你好 👋"));
    }

    [Fact]
    public void One_instance_gives_each_endpoint_the_key_a_fresh_instance_gives_it()
    {
        using var keys = new IdempotencyKeys("app", "camp", "0", "act", "2022-10-08T19:00:16.843Z", "{\"templateName\":\"t\"}");

        Assert.Equal(Key(endpoint: "ep-2"), keys.For("ep-2"));
        Assert.Equal(PinnedKey, keys.For("ep-1"));
    }

    [Fact]
    public void Missing_endpoint_or_data_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => KeyOf("a", "c", "t", "x", "s", null!, "d"));
        Assert.Throws<ArgumentNullException>(() => KeyOf("a", "c", "t", "x", "s", "e", null!));
    }

    [Property(MaxTest = 500)]
    public bool Keys_are_equal_exactly_when_the_fields_are(string?[] left, string?[] right)
    {
        var a = Fields(left);
        var b = Fields(right);
        return a.SequenceEqual(b, StringComparer.Ordinal) == (Compute(a) == Compute(b));
    }

    [Property(MaxTest = 300)]
    public bool Moving_a_split_point_between_two_fields_changes_the_key(NonEmptyString text, PositiveInt split1, PositiveInt split2)
    {
        var s = text.Get;
        var i = split1.Get % (s.Length + 1);
        var j = split2.Get % (s.Length + 1);
        var keyI = KeyOf(s[..i], s[i..], null, null, null, "e", "d");
        var keyJ = KeyOf(s[..j], s[j..], null, null, null, "e", "d");
        return (i == j) == (keyI == keyJ);
    }

    private static string?[] Fields(string?[]? values)
    {
        var fields = new string?[7];
        if (values is not null)
        {
            Array.Copy(values, fields, Math.Min(values.Length, 7));
        }

        fields[5] ??= "";
        fields[6] ??= "";
        return fields;
    }

    private static string Compute(string?[] f) => KeyOf(f[0], f[1], f[2], f[3], f[4], f[5]!, f[6]!);
}
