using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Api;

/// <summary>
/// The balancer's HTTP routes on the data-plane listener (port 61421): Minuteman's <c>/vips</c>,
/// <c>/vip/IP:PORT</c> and <c>/backend/IP:PORT</c> (<c>IP:PORT/udp</c> for UDP), plus <c>/l4lb/config</c>, <c>/l4lb/invalid</c>
/// (skipped labels with reasons) and <c>/l4lb/named</c>. Counters go to the shared <c>/metrics</c>.
/// </summary>
internal static class L4lbApiRoutes
{
    private const string Json = "application/json";

    public static IEndpointRouteBuilder MapL4lbApi(this IEndpointRouteBuilder endpoints, L4lbStatus status)
    {
        endpoints.MapGet("/vips", () => Results.Bytes(VipsJson.Vips(status), Json));
        // Catch-all, so a UDP VIP's `IP:PORT/udp` reaches the handler in one piece.
        endpoints.MapGet("/vip/{**endpoint}", (string endpoint) =>
        {
            if (!IpPort.TryParse(endpoint, out var vip))
            {
                return ErrorResult("invalid_vip", StatusCodes.Status400BadRequest);
            }

            var route = status.Balancer.Current.Find(vip);
            return route is null || route.Backends.Length == 0
                ? ErrorResult("no_backends", StatusCodes.Status404NotFound)
                : Results.Bytes(VipsJson.BackendMap(status, route), Json);
        });
        endpoints.MapGet("/backend/{**endpoint}", (string endpoint) =>
        {
            return IpPort.TryParse(endpoint, out var backend) && status.Balancer.Registry.TryGet(backend, out var state)
                ? Results.Bytes(VipsJson.Backend(status, state), Json)
                : ErrorResult("invalid_backend", StatusCodes.Status404NotFound);
        });
        endpoints.MapGet("/l4lb/config", () => Results.Bytes(L4lbInfoJson.Config(status), Json));
        endpoints.MapGet("/l4lb/invalid", () => Results.Bytes(L4lbInfoJson.InvalidLabels(status), Json));
        endpoints.MapGet("/l4lb/named", () => Results.Bytes(L4lbInfoJson.NamedVips(status), Json));
        return endpoints;
    }

    private static IResult ErrorResult(string error, int statusCode) =>
        Results.Content(Encoding.UTF8.GetString(VipsJson.Error(error)), Json, Encoding.UTF8, statusCode);
}
