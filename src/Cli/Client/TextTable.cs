using System.Text;

namespace Minuet.Cli.Client;

/// <summary>Aligned text columns for people (scripts use <c>--json</c>).</summary>
internal static class TextTable
{
    public static string Format(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header.ToArray() };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (int c = 0; c < header.Count; c++)
            {
                string cell = c < row.Length ? row[c] : string.Empty;
                text.Append(c == header.Count - 1 ? cell : cell.PadRight(widths[c] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
