using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Health checks (healthCheck.raml) and constraints (docs/docs/constraints.md).</summary>
internal static partial class AppParser
{
    private static List<HealthCheckSpec> ParseHealthChecks(JsonFields f, int portCount)
    {
        var checks = new List<HealthCheckSpec>();
        foreach (var (item, path) in f.Array("healthChecks"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                f.Errors.Add(path, "must be an object");
                continue;
            }

            var h = new JsonFields(item, path, f.Errors);
            var protocol = h.String("protocol") ?? "HTTP";
            switch (protocol)
            {
                case "HTTP" or "TCP" or "COMMAND" or "MESOS_HTTP" or "MESOS_TCP":
                    break;
                case "HTTPS" or "MESOS_HTTPS":
                    f.Errors.Add(h.At("protocol"), $"{protocol} checks are not supported; use HTTP, TCP, COMMAND, MESOS_HTTP or MESOS_TCP");
                    break;
                default:
                    f.Errors.Add(h.At("protocol"), $"'{protocol}' is not one of HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP");
                    break;
            }

            var check = new HealthCheckSpec
            {
                Protocol = protocol,
                Path = h.String("path") ?? "/",
                PortIndex = h.Int("portIndex"),
                Port = h.Int("port"),
                Command = h.Child("command")?.String("value"),
                GracePeriodSeconds = NonNegative(h, "gracePeriodSeconds") ?? AppDefaults.HealthGracePeriodSeconds,
                IntervalSeconds = Positive(h, "intervalSeconds") ?? AppDefaults.HealthIntervalSeconds,
                TimeoutSeconds = Positive(h, "timeoutSeconds") ?? AppDefaults.HealthTimeoutSeconds,
                MaxConsecutiveFailures = NonNegativeInt(h, "maxConsecutiveFailures") ?? AppDefaults.HealthMaxConsecutiveFailures,
                DelaySeconds = NonNegative(h, "delaySeconds") ?? (protocol.StartsWith("MESOS_", StringComparison.Ordinal) ? AppDefaults.HealthDelaySeconds : 0),
                IgnoreHttp1xx = h.Bool("ignoreHttp1xx") ?? false,
            };

            if (protocol == "COMMAND")
            {
                if (string.IsNullOrWhiteSpace(check.Command))
                {
                    f.Errors.Add(h.At("command"), "COMMAND checks need command.value");
                }
            }
            else if (check.Port is { } port)
            {
                if (check.PortIndex is not null)
                {
                    f.Errors.Add(path, "use either port or portIndex, not both");
                }

                if (port is < 1 or > 65535)
                {
                    f.Errors.Add(h.At("port"), "must be between 1 and 65535");
                }
            }
            else if ((check.PortIndex ?? 0) is var index && (index < 0 || index >= portCount))
            {
                f.Errors.Add(h.At("portIndex"), portCount == 0
                    ? "the app has no ports for this check; add a port or use a port/COMMAND check"
                    : $"must be between 0 and {portCount - 1} (the app has {portCount} port(s))");
            }

            checks.Add(check);
        }

        // Marathon's haveAtMostOneMesosHealthCheck: the agent runs one Mesos check per task (COMMAND checks were
        // once allowed several and are not counted; only the first Mesos-level check runs).
        if (checks.Count(c => c.IsMesosLevel) > 1)
        {
            f.Errors.Add(f.At("healthChecks"), "AppDefinition can contain at most one Mesos health check");
        }

        return checks;
    }

    private static double? Positive(JsonFields f, string name)
    {
        var value = f.Number(name);
        if (value is <= 0)
        {
            f.Errors.Add(f.At(name), "must be greater than 0");
            return null;
        }

        return value;
    }

    private static List<ConstraintSpec> ParseConstraints(JsonFields f)
    {
        var list = new List<ConstraintSpec>();
        foreach (var (item, path) in f.Array("constraints"))
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                // Marathon 1.5+ also accepts {fieldName, operator, value}.
                var o = new JsonFields(item, path, f.Errors);
                Add(list, f, path, o.String("fieldName"), o.String("operator"), o.String("value"), 3);
                continue;
            }

            if (item.ValueKind != JsonValueKind.Array || item.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                f.Errors.Add(path, "must be an array of strings [field, operator, value?]");
                continue;
            }

            var parts = item.EnumerateArray().Select(e => e.GetString()!).ToList();
            if (parts.Count is < 2 or > 3)
            {
                f.Errors.Add(path, "must have 2 or 3 elements [field, operator, value?]");
                continue;
            }

            Add(list, f, path, parts[0], parts[1], parts.Count == 3 ? parts[2] : null, parts.Count);
        }

        return list;
    }

    private static void Add(List<ConstraintSpec> list, JsonFields f, string path, string? field, string? op, string? value, int count)
    {
        if (string.IsNullOrEmpty(field))
        {
            f.Errors.Add(path + "/0", "the field (hostname or an agent attribute) is required");
            return;
        }

        ConstraintOperator? parsed = op switch
        {
            "UNIQUE" => ConstraintOperator.Unique,
            "CLUSTER" => ConstraintOperator.Cluster,
            "GROUP_BY" => ConstraintOperator.GroupBy,
            "LIKE" => ConstraintOperator.Like,
            "UNLIKE" => ConstraintOperator.Unlike,
            "MAX_PER" => ConstraintOperator.MaxPer,
            "IS" => ConstraintOperator.Is,
            _ => null,
        };
        if (parsed is not { } o)
        {
            f.Errors.Add(path + "/1", $"'{op}' is not one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS");
            return;
        }

        string? problem = o switch
        {
            ConstraintOperator.Unique when value is not null => "UNIQUE takes no value",
            ConstraintOperator.GroupBy when value is not null && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int g) && g > 0) => "GROUP_BY takes an optional positive integer",
            ConstraintOperator.MaxPer when !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m > 0) => "MAX_PER needs a positive integer value",
            ConstraintOperator.Like or ConstraintOperator.Unlike when value is null => $"{op} needs a regular expression value",
            ConstraintOperator.Like or ConstraintOperator.Unlike when !IsRegex(value!) => $"'{value}' is not a valid regular expression",
            ConstraintOperator.Is when value is null => "IS needs a value",
            _ => null,
        };
        if (problem is not null)
        {
            f.Errors.Add(count == 3 ? path + "/2" : path, problem);
            return;
        }

        list.Add(new ConstraintSpec(field, o, value));
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
