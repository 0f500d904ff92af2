using System.Globalization;
using System.Text;

namespace Minuet.Platform.Packages.Rendering;

// The values a template sees. They are wrappers, not .NET strings and numbers, because Stubble's truthiness differs
// from mustache.java's (which Cosmos renders with): Stubble takes 0, "0", "false" and blank strings as false, while
// mustache.java takes only false, "", empty lists and missing values as false (numbers, 0 included, are true).
// Wrapper types fall outside Stubble's built-in rules; their own truthy checks are registered in CosmosMustache.

/// <summary>A string option: <see cref="Text"/> is what prints (JSON-escaped for Cosmos), truthy when the option is not empty.</summary>
internal sealed record MustacheString(string Text, bool IsEmpty)
{
    public override string ToString() => Text;
}

/// <summary>A number: whole numbers print as integers (<c>1024.0</c> → <c>1024</c>), others as Java prints a double.</summary>
internal sealed record MustacheNumber(string Text)
{
    public override string ToString() => Text;

    public static MustacheNumber From(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    public static MustacheNumber From(double value)
    {
        if (Math.Abs(value) < 9.2e18 && value == Math.Floor(value))
        {
            return new(((long)value).ToString(CultureInfo.InvariantCulture));
        }

        return new(JavaDouble(value));
    }

    /// <summary>Java's <c>Double.toString</c>: plain between 10^-3 and 10^7, else computerized scientific (<c>1.0E-4</c>).</summary>
    private static string JavaDouble(double value)
    {
        double magnitude = Math.Abs(value);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        string e = value.ToString("E16", CultureInfo.InvariantCulture);
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int exponent = int.Parse(e[(e.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        string digits = shortest.Replace("-", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal);
        int cut = digits.IndexOfAny(['E', 'e']);
        digits = (cut >= 0 ? digits[..cut] : digits).TrimStart('0');
        digits = digits.Length == 0 ? "0" : digits;
        string mantissa = digits[..1] + "." + (digits.Length > 1 ? digits[1..].TrimEnd('0') is { Length: > 0 } rest ? rest : "0" : "0");
        return (value < 0 ? "-" : string.Empty) + mantissa + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>A boolean prints as Java prints it (<c>true</c>/<c>false</c>, not .NET's <c>True</c>).</summary>
internal sealed record MustacheBoolean(bool Value)
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A list iterates in sections and, as Cosmos ≥ 0.6 prints it, interpolates as <c>["a", "b"]</c>.</summary>
internal sealed class MustacheList : List<object?>
{
    public MustacheList(IEnumerable<object?> items)
        : base(items)
    {
    }

    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(this[i] is MustacheString s ? "\"" + s.Text + "\"" : this[i]?.ToString() ?? "null");
        }

        return text.Append(']').ToString();
    }
}

/// <summary>An object pushes a context; it prints as Java prints a map (<c>{a=1, b=x}</c>), which no package relies on.</summary>
internal sealed class MustacheObject : Dictionary<string, object?>
{
    public MustacheObject()
        : base(StringComparer.Ordinal)
    {
    }

    public override string ToString() => "{" + string.Join(", ", this.Select(p => p.Key + "=" + (p.Value?.ToString() ?? "null"))) + "}";
}
