using System.Text.Json;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Readiness checks (readinessCheck.raml; Marathon's ReadinessCheck validator).</summary>
internal static partial class AppParser
{
    private static List<ReadinessCheckSpec> ParseReadinessChecks(JsonFields f, IReadOnlyList<AppPort> ports)
    {
        var checks = new List<ReadinessCheckSpec>();
        var items = f.Array("readinessChecks");
        if (items.Count > 1)
        {
            // Marathon: "readinessChecks" size must be <= 1.
            f.Errors.Add(f.At("readinessChecks"), "only one readiness check is supported");
        }

        foreach (var (item, path) in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                f.Errors.Add(path, "must be an object");
                continue;
            }

            var r = new JsonFields(item, path, f.Errors);
            var check = new ReadinessCheckSpec
            {
                Name = r.String("name") ?? "readinessCheck",
                Protocol = r.String("protocol") ?? "HTTP",
                Path = r.String("path") ?? "/",
                PortName = r.String("portName") ?? "http-api",
                IntervalSeconds = Positive(r, "intervalSeconds") ?? 30,
                TimeoutSeconds = Positive(r, "timeoutSeconds") ?? 10,
                HttpStatusCodesForReady = StatusCodes(r) ?? [200],
                PreserveLastResponse = r.Bool("preserveLastResponse") ?? false,
            };

            if (check.Protocol != "HTTP")
            {
                f.Errors.Add(r.At("protocol"), check.Protocol == "HTTPS" ? "HTTPS readiness checks are not supported; use HTTP" : $"'{check.Protocol}' is not one of HTTP, HTTPS");
            }

            if (string.IsNullOrEmpty(check.Name))
            {
                f.Errors.Add(r.At("name"), "must not be empty");
            }

            if (!ports.Any(p => p.Name == check.PortName))
            {
                f.Errors.Add(r.At("portName"), ports.Any(p => p.Name is not null)
                    ? $"'{check.PortName}' is not one of the app's port names ({string.Join(", ", ports.Where(p => p.Name is not null).Select(p => p.Name))})"
                    : $"'{check.PortName}' names no port: the app has no named ports");
            }

            if (check.TimeoutSeconds >= check.IntervalSeconds)
            {
                f.Errors.Add(r.At("timeoutSeconds"), "must be less than intervalSeconds");
            }

            checks.Add(check);
        }

        return checks;
    }

    private static List<int>? StatusCodes(JsonFields r)
    {
        if (!r.Has("httpStatusCodesForReady"))
        {
            return null;
        }

        var codes = new List<int>();
        foreach (var (code, path) in r.Array("httpStatusCodesForReady"))
        {
            if (code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out int value) || value is < 100 or > 999)
            {
                r.Errors.Add(path, "must be an HTTP status code (100-999)");
                continue;
            }

            codes.Add(value);
        }

        if (codes.Count == 0)
        {
            r.Errors.Add(r.At("httpStatusCodesForReady"), "must name at least one status code");
        }

        return codes;
    }
}
