namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// The master routes of DC/OS 1.8's <c>nginx.master.conf</c> that Minuet has upstreams for (see the folder README),
/// longest prefix first.
/// </summary>
internal static class RouteTable
{
    public static readonly IReadOnlyList<StaticRoute> Routes =
    [
        new("/cache/master/", Upstream.LeadingMaster, "/master/", Anonymous: true),
        new("/service/metronome/", Upstream.Metronome, "/"),
        new("/mesos_dns/", Upstream.DnsApi, "/"),
        new("/marathon/", Upstream.Marathon, "/"),
        new("/mesos/", Upstream.LeadingMaster, "/"),
        new("/package/", Upstream.Cosmos, "/package/"),
        new("/capabilities", Upstream.Cosmos, "/capabilities"),
    ];

    /// <summary>Bare paths answered with 301 to the trailing-slash form.</summary>
    public static readonly IReadOnlySet<string> BareRedirects = new HashSet<string>(StringComparer.Ordinal) { "/mesos", "/marathon", "/mesos_dns" };

    public static StaticRoute? Match(string path)
    {
        foreach (var route in Routes)
        {
            if (path.StartsWith(route.Prefix, StringComparison.Ordinal)
                && (route.Prefix.EndsWith('/') || path.Length == route.Prefix.Length || path[route.Prefix.Length] is '/' or '?'))
            {
                return route;
            }
        }

        return null;
    }
}
