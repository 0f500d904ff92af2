using System.Globalization;

namespace Minuet.Platform.Packages;

/// <summary>One media type: <c>type/subtype</c> (<see cref="Essence"/>, lower case) and its parameters.</summary>
internal sealed record MediaType(string Essence, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Version => Parameters.TryGetValue("version", out var v) ? v : null;

    public double Quality => Parameters.TryGetValue("q", out var q) && double.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 1.0;

    public override string ToString() =>
        Essence + string.Concat(Parameters.Where(p => p.Key != "q").Select(p => ";" + p.Key + "=" + p.Value));
}

/// <summary>
/// Cosmos's media types, <c>application/vnd.dcos.package.&lt;kind&gt;+json;charset=utf-8;version=vN</c>, and the checks
/// it makes: the request's Content-Type must be the call's request type (v1), and Accept must name one of the
/// versions the call answers with (the highest quality wins; <c>*/*</c> is not enough).
/// </summary>
internal static class MediaTypes
{
    public const string ErrorType = "application/vnd.dcos.package.error+json;charset=utf-8;version=v1";

    public const string CapabilitiesType = "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1";

    public static string Of(string kind, string version) => $"application/vnd.dcos.package.{kind}+json;charset=utf-8;version={version}";

    public static bool TryParse(string? text, out MediaType type)
    {
        type = new MediaType(string.Empty, new Dictionary<string, string>());
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split(';');
        string essence = parts[0].Trim().ToLowerInvariant();
        int slash = essence.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == essence.Length - 1)
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            parameters[part[..eq].Trim().ToLowerInvariant()] = part[(eq + 1)..].Trim().Trim('"');
        }

        type = new MediaType(essence, parameters);
        return true;
    }

    /// <summary>Whether a Content-Type is <paramref name="expected"/> (same essence and version; charset, if any, utf-8).</summary>
    public static bool Matches(string? actual, string expected)
    {
        if (!TryParse(actual, out var a) || !TryParse(expected, out var e))
        {
            return false;
        }

        return a.Essence == e.Essence && a.Version == e.Version &&
            (!a.Parameters.TryGetValue("charset", out var charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The response version an Accept header chooses among <paramref name="offered"/> (media types), or null.</summary>
    public static string? Choose(string? accept, IReadOnlyList<string> offered)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return null;
        }

        var choices = new List<(string Offer, double Quality, int Order)>();
        int order = 0;
        foreach (var item in accept.Split(','))
        {
            order++;
            if (!TryParse(item, out var wanted) || wanted.Quality <= 0)
            {
                continue;
            }

            foreach (var offer in offered)
            {
                if (TryParse(offer, out var o) && o.Essence == wanted.Essence && (wanted.Version is null ? offer == offered[^1] : o.Version == wanted.Version))
                {
                    choices.Add((offer, wanted.Quality, order));
                }
            }
        }

        return choices.OrderByDescending(c => c.Quality).ThenBy(c => c.Order).Select(c => c.Offer).FirstOrDefault();
    }
}
