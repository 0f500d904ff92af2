using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Host;

/// <summary>What the host can be given from outside: logging, the L4 balancer, extra HTTP routes.</summary>
public sealed record DataPlaneHostServices
{
    /// <summary>Null logs to the console.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Creates the L4 balancer for <c>--l4lb on</c>. Without one, <c>--l4lb on</c> is refused at start with a clear
    /// message; <c>--l4lb off</c> runs DNS and HTTP only.
    /// </summary>
    public Func<IServiceProvider, IVipProgrammer>? VipProgrammerFactory { get; init; }

    /// <summary>The metric registry to serve at <c>/metrics</c>; null makes a new one. Lets the L4 balancer, started
    /// before the host, register its metrics in the same registry.</summary>
    public Minuet.DataPlane.Metrics.DataPlaneMetrics? Metrics { get; init; }

    /// <summary>More routes on the data-plane HTTP API (the balancer's <c>/vips</c>).</summary>
    public Action<IEndpointRouteBuilder>? MapRoutes { get; init; }
}
