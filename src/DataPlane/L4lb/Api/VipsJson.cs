using System.Buffers;
using System.Text.Json;
using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Api;

/// <summary>
/// Writes Minuteman's JSON shapes (<c>dcos_l4lb_api.erl</c>) field by field, in its order, including its
/// misspelt <c>total_sucesses</c> beside the correct <c>total_successes</c>, plus <c>protocol</c> (<c>tcp</c> or
/// <c>udp</c>, as dcos-net's <c>/v1/vips</c> names it) on each backend. A UDP VIP is keyed <c>ip:port/udp</c>, so
/// it never collides with a TCP VIP on the same address and port; TCP keys stay Minuteman's <c>ip:port</c>.
/// </summary>
internal static class VipsJson
{
    public static byte[] Vips(L4lbStatus status)
    {
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("vips");
            long since = status.LatencySince();
            long now = status.Time.GetTimestamp();
            foreach (var route in status.Balancer.Current.Routes)
            {
                writer.WritePropertyName(route.Vip.ToKeyString());
                WriteBackendMap(writer, route, since, now);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public static byte[] BackendMap(L4lbStatus status, VipRoute route) =>
        Write(writer => WriteBackendMap(writer, route, status.LatencySince(), status.Time.GetTimestamp()));

    public static byte[] Backend(L4lbStatus status, BackendState backend) =>
        Write(writer => WriteBackend(writer, backend, status.LatencySince(), status.Time.GetTimestamp()));

    public static byte[] Error(string error) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteEndObject();
    });

    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBackendMap(Utf8JsonWriter writer, VipRoute route, long since, long now)
    {
        writer.WriteStartObject();
        foreach (var backend in route.Backends)
        {
            writer.WritePropertyName(backend.Endpoint.ToString());
            WriteBackend(writer, backend, since, now);
        }

        writer.WriteEndObject();
    }

    private static void WriteBackend(Utf8JsonWriter writer, BackendState backend, long since, long now)
    {
        writer.WriteStartObject();
        writer.WriteNumber("pending_connections", backend.Pending);
        writer.WriteNumber("total_failures", backend.Failures);
        writer.WriteNumber("total_sucesses", backend.Successes);
        writer.WriteNumber("total_successes", backend.Successes);
        writer.WriteBoolean("is_healthy", backend.IsHealthy(now));
        writer.WritePropertyName("latency_last_60s");
        WriteLatency(writer, backend.Latency.Summarize(since));
        writer.WriteString("protocol", VipProtocols.Name(backend.Endpoint.Protocol));
        writer.WriteEndObject();
    }

    // Exometer histogram keys, as Minuteman's API exposed them; values in milliseconds.
    private static void WriteLatency(Utf8JsonWriter writer, LatencySummary? summary)
    {
        writer.WriteStartObject();
        if (summary is not null)
        {
            writer.WriteNumber("n", summary.Count);
            writer.WriteNumber("mean", Math.Round(summary.Mean, 3));
            writer.WriteNumber("min", Math.Round(summary.Min, 3));
            writer.WriteNumber("max", Math.Round(summary.Max, 3));
            writer.WriteNumber("median", Math.Round(summary.P50, 3));
            writer.WriteNumber("50", Math.Round(summary.P50, 3));
            writer.WriteNumber("75", Math.Round(summary.P75, 3));
            writer.WriteNumber("90", Math.Round(summary.P90, 3));
            writer.WriteNumber("95", Math.Round(summary.P95, 3));
            writer.WriteNumber("99", Math.Round(summary.P99, 3));
            writer.WriteNumber("999", Math.Round(summary.P999, 3));
        }

        writer.WriteEndObject();
    }
}
