using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// The subset of Python's <c>str.format</c> marathon-lb templates use: <c>{name}</c> is replaced, <c>{{</c> and
/// <c>}}</c> are literal braces. Anything else Python would reject (a lone brace) or that marathon-lb would fail on at
/// render time (an unknown name, a format spec) is refused when the label is read, so rendering cannot fail.
/// </summary>
internal static class TemplateText
{
    /// <summary>The problem with <paramref name="text"/> as a template over <paramref name="keys"/>, or null.</summary>
    public static string? Check(string text, IReadOnlyCollection<string> keys)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '}')
            {
                if (i + 1 < text.Length && text[i + 1] == '}')
                {
                    i++;
                    continue;
                }

                return $"single '}}' at offset {i} (write '}}}}' for a literal brace)";
            }

            if (c != '{')
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                i++;
                continue;
            }

            int end = text.IndexOf('}', i + 1);
            if (end < 0)
            {
                return $"single '{{' at offset {i} (write '{{{{' for a literal brace)";
            }

            string name = text[(i + 1)..end];
            if (!keys.Contains(name))
            {
                return $"unknown placeholder '{{{name}}}'";
            }

            i = end;
        }

        return null;
    }

    /// <summary>Fills a template that passed <see cref="Check"/>; a name missing from <paramref name="values"/> becomes empty.</summary>
    public static string Format(string text, IReadOnlyDictionary<string, string> values)
    {
        var result = new StringBuilder(text.Length + 64);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                result.Append(c);
                i++;
            }
            else if (c == '{' && text.IndexOf('}', i + 1) is int end and > 0)
            {
                result.Append(values.GetValueOrDefault(text[(i + 1)..end]) ?? "");
                i = end;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
