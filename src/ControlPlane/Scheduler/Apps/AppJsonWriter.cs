using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// Writes an app in Marathon's JSON shape (app.raml). The same JSON is what the store keeps: reading it back through
/// the parser gives the same definition, so there is one source of truth for the format.
/// </summary>
internal static partial class AppJsonWriter
{
    /// <summary>The definition alone as a string (storage, config comparison).</summary>
    public static string ConfigJson(AppDefinition app)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteFields(w, app);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every definition field of the app (the caller opens and closes the object, to add tasks and counts).</summary>
    public static void WriteFields(Utf8JsonWriter w, AppDefinition app)
    {
        w.WriteString("id", app.Id);
        if (app.Cmd is not null)
        {
            w.WriteString("cmd", app.Cmd);
        }
        else
        {
            w.WriteNull("cmd");
        }

        if (app.Args is not null)
        {
            WriteStrings(w, "args", app.Args);
        }

        w.WriteNumber("instances", app.Instances);
        w.WriteNumber("cpus", app.Cpus);
        w.WriteNumber("mem", app.Mem);
        w.WriteNumber("disk", app.Disk);
        w.WriteNumber("gpus", app.Gpus);
        WriteMap(w, "env", app.Env);
        WriteMap(w, "labels", app.Labels);
        w.WriteStartArray("portDefinitions");
        foreach (var p in app.PortDefinitions)
        {
            w.WriteStartObject();
            w.WriteNumber("port", p.Port);
            w.WriteString("protocol", p.Protocol);
            if (p.Name is not null)
            {
                w.WriteString("name", p.Name);
            }

            WriteMap(w, "labels", p.Labels);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("requirePorts", app.RequirePorts);
        if (app.Container is { } c)
        {
            WriteContainer(w, c);
        }

        w.WriteStartArray("networks");
        foreach (var n in app.Networks)
        {
            w.WriteStartObject();
            w.WriteString("mode", n.ModeName);
            if (n.Name is not null)
            {
                w.WriteString("name", n.Name);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteHealthChecks(w, app.HealthChecks);
        w.WriteStartArray("readinessChecks");
        foreach (var r in app.ReadinessChecks)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteString("protocol", r.Protocol);
            w.WriteString("path", r.Path);
            w.WriteString("portName", r.PortName);
            w.WriteNumber("intervalSeconds", r.IntervalSeconds);
            w.WriteNumber("timeoutSeconds", r.TimeoutSeconds);
            w.WriteStartArray("httpStatusCodesForReady");
            foreach (var code in r.HttpStatusCodesForReady)
            {
                w.WriteNumberValue(code);
            }

            w.WriteEndArray();
            w.WriteBoolean("preserveLastResponse", r.PreserveLastResponse);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("constraints");
        foreach (var constraint in app.Constraints)
        {
            w.WriteStartArray();
            w.WriteStringValue(constraint.Field);
            w.WriteStringValue(OperatorName(constraint.Operator));
            if (constraint.Value is not null)
            {
                w.WriteStringValue(constraint.Value);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartObject("upgradeStrategy");
        w.WriteNumber("minimumHealthCapacity", app.UpgradeStrategy.MinimumHealthCapacity);
        w.WriteNumber("maximumOverCapacity", app.UpgradeStrategy.MaximumOverCapacity);
        w.WriteEndObject();
        w.WriteNumber("backoffSeconds", app.BackoffSeconds);
        w.WriteNumber("backoffFactor", app.BackoffFactor);
        w.WriteNumber("maxLaunchDelaySeconds", app.MaxLaunchDelaySeconds);
        w.WriteString("killSelection", app.KillSelection == KillSelection.OldestFirst ? "OLDEST_FIRST" : "YOUNGEST_FIRST");
        WriteStrings(w, "dependencies", app.Dependencies);
        if (app.AcceptedResourceRoles is not null)
        {
            WriteStrings(w, "acceptedResourceRoles", app.AcceptedResourceRoles);
        }

        if (app.User is not null)
        {
            w.WriteString("user", app.User);
        }

        if (app.TaskKillGracePeriodSeconds is { } grace)
        {
            w.WriteNumber("taskKillGracePeriodSeconds", grace);
        }

        w.WriteStartObject("unreachableStrategy");
        w.WriteNumber("inactiveAfterSeconds", 0);
        w.WriteNumber("expungeAfterSeconds", 0);
        w.WriteEndObject();
        if (app.Version != default)
        {
            w.WriteString("version", Timestamp(app.Version));
            w.WriteStartObject("versionInfo");
            w.WriteString("lastScalingAt", Timestamp(app.Version));
            w.WriteString("lastConfigChangeAt", Timestamp(app.ConfigVersion));
            w.WriteEndObject();
        }
    }

    /// <summary>Marathon's timestamps: ISO 8601 UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string OperatorName(ConstraintOperator op) => op switch
    {
        ConstraintOperator.Unique => "UNIQUE",
        ConstraintOperator.Cluster => "CLUSTER",
        ConstraintOperator.GroupBy => "GROUP_BY",
        ConstraintOperator.Like => "LIKE",
        ConstraintOperator.Unlike => "UNLIKE",
        ConstraintOperator.MaxPer => "MAX_PER",
        _ => "IS",
    };

    private static void WriteContainer(Utf8JsonWriter w, ContainerSpec c)
    {
        w.WriteStartObject("container");
        w.WriteString("type", c.Type);
        if (c.Docker is { } docker)
        {
            w.WriteStartObject("docker");
            w.WriteString("image", docker.Image);
            w.WriteBoolean("forcePullImage", docker.ForcePullImage);
            w.WriteBoolean("privileged", docker.Privileged);
            w.WriteStartArray("parameters");
            foreach (var (key, value) in docker.Parameters)
            {
                w.WriteStartObject();
                w.WriteString("key", key);
                w.WriteString("value", value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteStartArray("portMappings");
        foreach (var m in c.PortMappings)
        {
            w.WriteStartObject();
            w.WriteNumber("containerPort", m.ContainerPort);
            if (m.HostPort is { } host)
            {
                w.WriteNumber("hostPort", host);
            }

            w.WriteNumber("servicePort", m.ServicePort);
            w.WriteString("protocol", m.Protocol);
            if (m.Name is not null)
            {
                w.WriteString("name", m.Name);
            }

            WriteMap(w, "labels", m.Labels);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("volumes");
        foreach (var v in c.Volumes)
        {
            w.WriteStartObject();
            w.WriteString("containerPath", v.ContainerPath);
            w.WriteString("hostPath", v.HostPath);
            w.WriteString("mode", v.Mode);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteHealthChecks(Utf8JsonWriter w, IReadOnlyList<HealthCheckSpec> checks)
    {
        w.WriteStartArray("healthChecks");
        foreach (var h in checks)
        {
            WriteHealthCheck(w, h);
        }

        w.WriteEndArray();
    }

    /// <summary>One check as Marathon shows it (also inside <c>failed_health_check_event</c>).</summary>
    public static void WriteHealthCheck(Utf8JsonWriter w, HealthCheckSpec h)
    {
        w.WriteStartObject();
        w.WriteString("protocol", h.Protocol);
        if (h.Protocol is "HTTP" or "MESOS_HTTP")
        {
            w.WriteString("path", h.Path);
            w.WriteBoolean("ignoreHttp1xx", h.IgnoreHttp1xx);
        }

        if (h.Protocol == "COMMAND")
        {
            w.WriteStartObject("command");
            w.WriteString("value", h.Command);
            w.WriteEndObject();
        }
        else if (h.Port is { } port)
        {
            w.WriteNumber("port", port);
        }
        else
        {
            w.WriteNumber("portIndex", h.PortIndex ?? 0);
        }

        w.WriteNumber("gracePeriodSeconds", h.GracePeriodSeconds);
        w.WriteNumber("intervalSeconds", h.IntervalSeconds);
        w.WriteNumber("timeoutSeconds", h.TimeoutSeconds);
        w.WriteNumber("maxConsecutiveFailures", h.MaxConsecutiveFailures);
        if (h.IsMesosLevel)
        {
            w.WriteNumber("delaySeconds", h.DelaySeconds);
        }

        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
