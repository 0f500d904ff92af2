using System.Globalization;
using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>Writers for the Prometheus text exposition format 0.0.4.</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':'))
            {
                return false;
            }
        }

        return true;
    }

    public static void WriteHeader(StringBuilder output, string name, string help, string type)
    {
        output.Append("# HELP ").Append(name).Append(' ');
        foreach (char c in help)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '\n' => output.Append("\\n"),
                _ => output.Append(c),
            };
        }

        output.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public static void WriteSample(StringBuilder output, string name, string? labels, long value)
    {
        AppendName(output, name, labels);
        output.Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public static void WriteSample(StringBuilder output, string name, string? labels, double value)
    {
        AppendName(output, name, labels);
        output.Append(FormatDouble(value)).Append('\n');
    }

    /// <summary><c>a="x",b="y"</c> with values escaped as the format requires.</summary>
    public static string FormatLabels(IReadOnlyList<string> names, IReadOnlyList<string> values)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(names[i]).Append("=\"");
            foreach (char c in values[i] ?? string.Empty)
            {
                _ = c switch
                {
                    '\\' => sb.Append("\\\\"),
                    '"' => sb.Append("\\\""),
                    '\n' => sb.Append("\\n"),
                    _ => sb.Append(c),
                };
            }

            sb.Append('"');
        }

        return sb.ToString();
    }

    private static void AppendName(StringBuilder output, string name, string? labels)
    {
        output.Append(name);
        if (!string.IsNullOrEmpty(labels))
        {
            output.Append('{').Append(labels).Append('}');
        }

        output.Append(' ');
    }

    private static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
