namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// Refuses request targets that rely on dot segments (<c>..</c>, <c>.</c>, also percent-encoded), checked on the raw
/// target before Kestrel normalises it. nginx would quietly resolve <c>/service/x/../../mesos/</c> to <c>/mesos/</c>;
/// refusing it outright means a path can never name one upstream and reach another.
/// </summary>
internal static class PathGuard
{
    /// <summary>Null when the target is acceptable, else the reason.</summary>
    public static string? Check(string rawTarget)
    {
        int query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        ReadOnlySpan<char> path = query >= 0 ? rawTarget.AsSpan(0, query) : rawTarget.AsSpan();
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (IsDots(segment))
            {
                return "dot segments (. or ..) are not allowed in the path";
            }
        }

        return null;
    }

    /// <summary>True for <c>.</c>, <c>..</c> and their percent-encoded spellings (<c>%2e</c>, <c>%2E.</c> ...).</summary>
    private static bool IsDots(ReadOnlySpan<char> segment)
    {
        int dots = 0;
        int i = 0;
        while (i < segment.Length)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (i + 2 < segment.Length && segment[i] == '%' && segment[i + 1] == '2' && (segment[i + 2] is 'e' or 'E'))
            {
                i += 3;
            }
            else
            {
                return false;
            }

            dots++;
        }

        return dots is 1 or 2;
    }
}
