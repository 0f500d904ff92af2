namespace Minuet.Native.Iptables;

/// <summary>
/// Reads iptables-restore / iptables-save text: `*table` sections, `:CHAIN POLICY [counters]` declarations and
/// `-A`/`-I` rules up to `COMMIT`. Enough to know which rules and chains a rules text installs.
/// </summary>
internal static class IptablesRulesText
{
    private static readonly string[] BuiltInChains = ["INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"];

    /// <summary>The rules (-A and -I, with an -I position dropped) in order of appearance.</summary>
    public static IReadOnlyList<IptablesRule> ParseRules(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<IptablesRule>();
        string? table = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('*'))
            {
                table = line[1..];
                continue;
            }

            if (table is null || !(line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-I ", StringComparison.Ordinal)))
            {
                continue;
            }

            var tokens = Tokenize(line);
            if (tokens.Count < 2)
            {
                continue;
            }

            int specStart = 2;
            if (tokens[0] == "-I" && tokens.Count > 2 && int.TryParse(tokens[2], out _))
            {
                specStart = 3;
            }

            rules.Add(new IptablesRule(table, tokens[1], Join(tokens.Skip(specStart))));
        }

        return rules;
    }

    /// <summary>User-defined chains the text declares (`:NAME - [0:0]`), with their tables.</summary>
    public static IReadOnlyList<(string Table, string Chain)> ParseUserChains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chains = new List<(string, string)>();
        string? table = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (table is not null && line.StartsWith(':'))
            {
                var name = line[1..].Split(' ', 2)[0];
                if (!BuiltInChains.Contains(name))
                {
                    chains.Add((table, name));
                }
            }
        }

        return chains;
    }

    /// <summary>Splits a rule line like a shell would for iptables: spaces separate, double quotes group.</summary>
    public static List<string> Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string Join(IEnumerable<string> tokens) =>
        string.Join(' ', tokens.Select(t => t.Contains(' ', StringComparison.Ordinal) ? $"\"{t}\"" : t));
}
