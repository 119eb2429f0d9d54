namespace WhatsAppChannel.Templates;

/// <summary>Counts a template text's distinct <c>{{1}}</c> (or named <c>{{first_name}}</c>) placeholders.</summary>
internal static class Placeholders
{
    public static int Count(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        // {{1}} used twice still takes one parameter.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var start = text.IndexOf("{{", StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = text.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            names.Add(text[(start + 2)..end].Trim());
            start = text.IndexOf("{{", end + 2, StringComparison.Ordinal);
        }

        return names.Count;
    }
}
