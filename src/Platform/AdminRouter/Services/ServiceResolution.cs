namespace Minuet.Platform.AdminRouter.Services;

/// <summary>How a <c>/service/</c> path resolved.</summary>
internal enum ServiceOutcome
{
    /// <summary><see cref="ServiceResolution.Target"/> serves it.</summary>
    Found,

    /// <summary>A framework without <c>webui_url</c>: its address comes from Mesos-DNS's SRV record for the name.</summary>
    NeedsSrv,

    /// <summary>The name matched but the path stops at it: 301 to the trailing-slash form.</summary>
    AddSlash,

    NotFound,

    /// <summary>The cache is past its limit: 503 rather than a guess.</summary>
    Stale,
}

/// <summary>
/// A resolution: the service's name (the path segments it took), the upstream base URL and the path that follows
/// the name (starting with <c>/</c>).
/// </summary>
internal sealed record ServiceResolution(ServiceOutcome Outcome, string Name = "", Uri? Target = null, string Rest = "/")
{
    public static readonly ServiceResolution NotFound = new(ServiceOutcome.NotFound);
    public static readonly ServiceResolution Stale = new(ServiceOutcome.Stale);
}
