using System.Globalization;
using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb;

/// <summary>Turns <see cref="L4lbArguments"/> into <see cref="L4lbOptions"/>, collecting every error with its option name.</summary>
internal static class L4lbOptionsParser
{
    public static (L4lbOptions? Options, IReadOnlyList<string> Errors) Parse(L4lbArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var options = new L4lbOptions { FailOpen = args.FailOpen, RealTimeQueueWorkers = args.RealTimeQueueWorkers };
        var health = HealthOptions.Default;

        if (args.VipRange is not null)
        {
            if (VipRange.TryParse(args.VipRange, out var range, out var reason))
            {
                options = options with { VipRange = range! };
            }
            else
            {
                errors.Add($"--vip-range: {reason}");
            }
        }

        if (args.QueueBalance is not null)
        {
            if (TryParseQueues(args.QueueBalance, out int first, out int count, out var reason))
            {
                options = options with { FirstQueue = first, QueueCount = count };
            }
            else
            {
                errors.Add($"--queue-balance: {reason}");
            }
        }

        if (args.Policy is not null)
        {
            options = options with { Policy = args.Policy.Trim() };
        }

        if (args.IpsetName is not null)
        {
            options = options with { SetName = args.IpsetName.Trim() };
        }

        if (Number(args.ConnectTimeoutMs, "--connect-timeout-ms", errors) is { } timeout)
        {
            health = health with { ConnectTimeout = TimeSpan.FromMilliseconds(timeout) };
        }

        if (Number(args.FailureThreshold, "--failure-threshold", errors) is { } threshold)
        {
            health = health with { FailureThreshold = (int)Math.Min(threshold, int.MaxValue) };
        }

        if (Number(args.BenchSeconds, "--bench-seconds", errors) is { } bench)
        {
            health = health with { BenchPeriod = TimeSpan.FromSeconds(bench) };
        }

        if (Number(args.ReconcileSeconds, "--reconcile-seconds", errors) is { } reconcile)
        {
            if (reconcile < 1)
            {
                errors.Add("--reconcile-seconds: must be at least 1");
            }
            else
            {
                options = options with { ReconcileInterval = TimeSpan.FromSeconds(reconcile) };
            }
        }

        options = options with { Health = health };
        errors.AddRange(options.Validate());
        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    /// <summary>Parses <c>A:B</c> (A &lt; B, as iptables demands) or a single queue number.</summary>
    internal static bool TryParseQueues(string text, out int first, out int count, out string reason)
    {
        first = 0;
        count = 0;
        reason = string.Empty;
        var parts = text.Trim().Split(':');
        if (parts.Length is < 1 or > 2 ||
            !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort a))
        {
            reason = $"'{text}' is not A:B or a queue number (0-65535)";
            return false;
        }

        if (parts.Length == 1)
        {
            (first, count) = (a, 1);
            return true;
        }

        if (!ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort b) || b <= a)
        {
            reason = $"'{text}': B must be a queue number greater than A (use a single number for one queue)";
            return false;
        }

        (first, count) = (a, b - a + 1);
        return true;
    }

    private static long? Number(string? text, string option, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        errors.Add($"{option}: '{text}' is not a whole number");
        return null;
    }
}
