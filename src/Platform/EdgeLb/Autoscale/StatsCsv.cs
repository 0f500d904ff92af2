using System.Globalization;

namespace Minuet.Platform.EdgeLb.Autoscale;

/// <summary>
/// Reads HAProxy's <c>/haproxy?stats;csv</c>: each FRONTEND row's request rate. HTTP frontends report <c>req_rate</c>
/// (HTTP requests per second over the last second); a TCP frontend has no requests, so its <c>rate</c> (sessions per
/// second) stands in. marathon-lb-autoscale summed <c>rate + qcur</c>: sessions, not requests, and <c>qcur</c> is always
/// empty on frontend rows, so with keep-alive clients its "RPS" undercounted.
/// </summary>
internal static class StatsCsv
{
    public static Dictionary<string, double> FrontendRates(string csv)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        string[] lines = csv.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith('#'))
        {
            return rates;
        }

        var header = lines[0].TrimStart('#', ' ').Split(',');
        int svname = Array.IndexOf(header, "svname");
        int reqRate = Array.IndexOf(header, "req_rate");
        int rate = Array.IndexOf(header, "rate");
        if (svname != 1 || rate < 0)
        {
            return rates;
        }

        foreach (string line in lines.Skip(1))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length <= Math.Max(rate, reqRate) || cells[svname] != "FRONTEND")
            {
                continue;
            }

            double value = reqRate >= 0 && double.TryParse(cells[reqRate], NumberStyles.Float, CultureInfo.InvariantCulture, out double r)
                ? r
                : double.TryParse(cells[rate], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : 0;
            rates[cells[0]] = value;
        }

        return rates;
    }
}
