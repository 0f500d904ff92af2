using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Minuet.Cli.Verbs;

/// <summary>Turns Minuteman-shaped <c>/vips</c> JSON into an aligned text table.</summary>
internal static class VipsTable
{
    private static readonly string[] Header = ["VIP", "BACKEND", "PENDING", "OK", "FAILED", "HEALTHY", "P99 MS"];

    public static bool TryFormat(string json, out string table, out string reason)
    {
        table = string.Empty;
        reason = string.Empty;
        var rows = new List<string[]> { Header };
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("vips", out var vips) || vips.ValueKind != JsonValueKind.Object)
            {
                reason = "no \"vips\" object";
                return false;
            }

            foreach (var vip in vips.EnumerateObject())
            {
                var backends = vip.Value.EnumerateObject().ToList();
                if (backends.Count == 0)
                {
                    rows.Add([vip.Name, "(none)", "", "", "", "", ""]);
                }

                foreach (var backend in backends)
                {
                    var b = backend.Value;
                    var latency = b.TryGetProperty("latency_last_60s", out var l) && l.TryGetProperty("99", out var p99)
                        ? p99.GetDouble().ToString("0.###", CultureInfo.InvariantCulture)
                        : "-";
                    rows.Add(
                    [
                        vip.Name,
                        backend.Name,
                        Number(b, "pending_connections"),
                        Number(b, "total_successes", "total_sucesses"),
                        Number(b, "total_failures"),
                        b.TryGetProperty("is_healthy", out var healthy) && healthy.ValueKind == JsonValueKind.False ? "no" : "yes",
                        latency,
                    ]);
                }
            }
        }
        catch (JsonException e)
        {
            reason = e.Message;
            return false;
        }

        if (rows.Count == 1)
        {
            table = "No VIPs.\n";
            return true;
        }

        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                text.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            text.Append('\n');
        }

        table = text.ToString();
        return true;
    }

    private static string Number(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                return value.GetInt64().ToString(CultureInfo.InvariantCulture);
            }
        }

        return "-";
    }
}
