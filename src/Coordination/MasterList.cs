namespace Minuet.Coordination;

/// <summary>
/// A list of masters as the flags take it: <c>http://m1:5050,http://m2:5050</c> (also <c>m1:5050</c>, taken as http).
/// Each becomes a base URL <c>http://host:port/</c>; a query, a fragment or a path other than <c>/</c> is refused,
/// as is the same master twice.
/// </summary>
public static class MasterList
{
    /// <summary>Parses the list; on failure <paramref name="error"/> says which entry and why (without the flag's name).</summary>
    public static bool TryParse(string? text, out IReadOnlyList<Uri> masters, out string? error)
    {
        masters = [];
        error = null;
        var parsed = new List<Uri>();
        string[] parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            error = "give at least one master URL (e.g. http://127.0.0.1:5050 or http://m1:5050,http://m2:5050)";
            return false;
        }

        foreach (string part in parts)
        {
            // Without a scheme only HOST:PORT is taken (Mesos's form), so a stray word is not read as a host name.
            bool bare = !part.Contains("://", StringComparison.Ordinal);
            string candidate = bare ? "http://" + part : part;
            if ((bare && !HasPort(part)) || !Uri.TryCreate(candidate, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.Host.Length == 0 || url.Query.Length > 0 || url.Fragment.Length > 0 || url.AbsolutePath != "/")
            {
                error = $"'{part}' is not an http:// URL (e.g. http://127.0.0.1:5050) of a master, without a path or query";
                return false;
            }

            var master = MasterAnswer.BaseOf(url);
            if (parsed.Contains(master))
            {
                error = $"'{part}' is listed twice";
                return false;
            }

            parsed.Add(master);
        }

        masters = parsed;
        return true;
    }

    private static bool HasPort(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        return colon > 0 && colon < hostPort.Length - 1 && hostPort.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
