namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>Which upstream a static route goes to.</summary>
internal enum Upstream
{
    LeadingMaster,
    Marathon,
    Cosmos,
    DnsApi,
    Metronome,
}

/// <summary>
/// One row of Admin Router's table: requests under <see cref="Prefix"/> go to <see cref="Upstream"/> with the prefix
/// replaced by <see cref="UpstreamPrefix"/> (<c>/</c> strips it, as nginx's <c>proxy_pass http://x/</c>; the same
/// value keeps it). <see cref="Anonymous"/> rows skip the token check.
/// </summary>
internal sealed record StaticRoute(string Prefix, Upstream Upstream, string UpstreamPrefix, bool Anonymous = false);
