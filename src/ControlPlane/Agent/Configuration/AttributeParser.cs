namespace Minuet.ControlPlane.Agent.Configuration;

/// <summary>Parses Mesos's <c>--attributes "rack:r1;zone:a"</c> into name → text, naming the bad part on error.</summary>
internal static class AttributeParser
{
    public static ParseResult<IReadOnlyDictionary<string, string>> Parse(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = (text ?? string.Empty).Split(';', StringSplitOptions.TrimEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length == 0)
            {
                continue;
            }

            int colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == part.Length - 1)
            {
                return Fail(i, part, "expected name:value, e.g. rack:r1");
            }

            string name = part[..colon].Trim();
            string value = part[(colon + 1)..].Trim();
            if (!result.TryAdd(name, value))
            {
                return Fail(i, part, $"attribute '{name}' is given twice");
            }
        }

        return ParseResult<IReadOnlyDictionary<string, string>>.Success(result);
    }

    private static ParseResult<IReadOnlyDictionary<string, string>> Fail(int index, string part, string reason) =>
        ParseResult<IReadOnlyDictionary<string, string>>.Failure($"--attributes: part {index + 1} '{part}': {reason}");
}
