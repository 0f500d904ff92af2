using Minuet.DataPlane.L4lb.Selection;

namespace Minuet.DataPlane.L4lb.Api;

/// <summary>JSON for what Minuteman had no route for: configuration, skipped labels, named VIP addresses.</summary>
internal static class L4lbInfoJson
{
    public const string NamedVipZone = "l4lb.thisdcos.directory";

    public static byte[] Config(L4lbStatus status) => VipsJson.Write(writer =>
    {
        var options = status.Options;
        writer.WriteStartObject();
        writer.WriteString("policy", status.Balancer.Policy.Name);
        writer.WriteStartArray("policies");
        foreach (var name in BackendPolicies.Names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteString("vip_range", options.VipRange.ToString());
        writer.WriteString("ipset", options.SetName);
        writer.WriteNumber("first_queue", options.FirstQueue);
        writer.WriteNumber("queues", options.QueueCount);
        writer.WriteBoolean("fail_open", options.FailOpen);
        writer.WriteNumber("reconcile_seconds", options.ReconcileInterval.TotalSeconds);
        writer.WriteNumber("vip_linger_seconds", options.VipLinger.TotalSeconds);
        writer.WriteStartObject("health");
        writer.WriteNumber("connect_timeout_ms", options.Health.ConnectTimeout.TotalMilliseconds);
        writer.WriteNumber("failure_threshold", options.Health.FailureThreshold);
        writer.WriteNumber("bench_seconds", options.Health.BenchPeriod.TotalSeconds);
        writer.WriteNumber("latency_window_seconds", options.Health.LatencyWindow.TotalSeconds);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public static byte[] InvalidLabels(L4lbStatus status) => VipsJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("invalid_labels");
        foreach (var label in status.Balancer.Current.Source.InvalidLabels)
        {
            writer.WriteStartObject();
            writer.WriteString("task_id", label.TaskId);
            writer.WriteString("framework", label.Framework);
            writer.WriteString("key", label.Key);
            writer.WriteString("value", label.Value);
            writer.WriteString("reason", label.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] NamedVips(L4lbStatus status) => VipsJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("named_vips");
        foreach (var named in status.Balancer.Current.Source.NamedVips)
        {
            writer.WriteStartObject();
            writer.WriteString("name", $"{named.Label}.{named.Framework}.{NamedVipZone}");
            writer.WriteString("label", named.Label);
            writer.WriteString("framework", named.Framework);
            writer.WriteString("ip", named.Address.ToString());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
