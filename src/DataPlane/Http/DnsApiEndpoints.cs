using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Metrics;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Http;

/// <summary>
/// Mesos-DNS's HTTP API (docs/docs/http.md) over the current snapshot, plus <c>/metrics</c>. Other parts of the data
/// plane add their routes the same way (<c>endpoints.MapVipApi()</c>). Needs <see cref="SnapshotStore"/>,
/// <see cref="DnsRecordBuilder"/>, <see cref="DnsApiConfig"/> and <see cref="DataPlaneMetrics"/> in DI.
/// </summary>
public static class DnsApiEndpoints
{
    /// <summary>Version string reported by <c>/v1/version</c>.</summary>
    public static string ProductVersion { get; set; } = "0.1.0";

    public static IEndpointRouteBuilder MapDnsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var json = DnsApiJsonContext.Default;

        endpoints.MapGet("/v1/version", () => Results.Json(
            new VersionResponse("Minuet DNS (Mesos-DNS compatible)", ProductVersion, "https://github.com/mesosphere/mesos-dns"),
            json.VersionResponse));

        // Mesos-DNS's SOASerial follows each reload; here it is the serial of the snapshot being served.
        endpoints.MapGet("/v1/config", (DnsApiConfig config, SnapshotStore store) =>
            Results.Json(config with { SoaSerial = store.Current?.Records?.Zone.Serial ?? 0 }, json.DnsApiConfig));

        endpoints.MapGet("/v1/hosts/{host}", (string host, SnapshotStore store) =>
            Results.Json(DnsApiQueries.Hosts(store.Current?.Records, host), json.HostRowArray));

        endpoints.MapGet("/v1/hosts/{host}/ports", () => Results.Text("To be implemented...", statusCode: StatusCodes.Status501NotImplemented));

        endpoints.MapGet("/v1/services/{service}", (string service, SnapshotStore store) =>
            Results.Json(DnsApiQueries.Services(store.Current?.Records, service), json.ServiceRowArray));

        // Enumeration re-runs the task part of the build, so its answer is kept per snapshot.
        var enumerated = new System.Runtime.CompilerServices.ConditionalWeakTable<ClusterState, EnumerateResponse>();
        endpoints.MapGet("/v1/enumerate", (SnapshotStore store, DnsRecordBuilder builder) =>
        {
            var state = store.Current?.State ?? ClusterState.Empty;
            var response = enumerated.GetValue(state, s => EnumerateResponse.From(builder.Enumerate(s)));
            return Results.Json(response, json.EnumerateResponse);
        });

        endpoints.MapGet("/v1/axfr", (SnapshotStore store, DnsApiConfig config) =>
        {
            var records = store.Current?.Records;
            return records is null
                ? Results.Text("no cluster state yet", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(DnsApiQueries.Axfr(records, config), json.AxfrResponse);
        });

        return endpoints;
    }

    /// <summary><c>/metrics</c> in Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/metrics", (DataPlaneMetrics metrics) => Results.Text(metrics.Render(), DataPlaneMetrics.ContentType));
        return endpoints;
    }

    /// <summary>Registers what <see cref="MapDnsApi"/> needs and the source-generated JSON.</summary>
    public static IServiceCollection AddDnsApiJson(this IServiceCollection services)
    {
        return services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, DnsApiJsonContext.Default));
    }

    internal static string FormatPort(ushort port) => port.ToString(CultureInfo.InvariantCulture);
}
