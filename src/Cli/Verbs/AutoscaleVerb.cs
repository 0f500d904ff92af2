using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Minuet.Platform.EdgeLb.Autoscale;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet autoscale --marathon URL --haproxy URL[,URL] --target-rps N --apps ID_PORT[,..] [--min-instances N]
/// [--max-instances N] [--interval 60s] [--samples 10] [--cooldown 5] [--threshold-percent 0.5] [--threshold-instances 3]</c>: marathon-lb-autoscale's rules on HAProxy's
/// real request rate (<c>req_rate</c>), not the session rate it used (see src/Platform/EdgeLb/README.md).
/// </summary>
internal static class AutoscaleVerb
{
    public static Command Create()
    {
        var marathon = new Option<string>("--marathon") { Description = "Marathon URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var haproxy = new Option<string[]>("--haproxy") { Description = "Edge LB stats URL(s) (their :9090), repeatable or comma-separated.", Required = true };
        var targetRps = new Option<double>("--target-rps") { Description = "Requests per second one instance should take.", DefaultValueFactory = _ => 1000 };
        var apps = new Option<string[]>("--apps") { Description = "Frontends to scale, APPID_SERVICEPORT (e.g. nginx_10000), comma-separated.", Required = true };
        var min = new Option<int>("--min-instances") { Description = "Never fewer instances.", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-instances") { Description = "Never more instances (default unlimited).", DefaultValueFactory = _ => int.MaxValue };
        var interval = new Option<string>("--interval") { Description = "Seconds (or a duration such as 5s) between samples.", DefaultValueFactory = _ => "60" };
        var samples = new Option<int>("--samples") { Description = "Samples averaged; also intervals waited before any scaling.", DefaultValueFactory = _ => 10 };
        var cooldown = new Option<int>("--cooldown") { Description = "Extra intervals to wait after a change.", DefaultValueFactory = _ => 5 };
        var thresholdPercent = new Option<double>("--threshold-percent")
        {
            Description = "Scale only when the per-instance rate is off the target by at least this fraction (or the count by --threshold-instances).",
            DefaultValueFactory = _ => 0.5,
        };
        var thresholdInstances = new Option<int>("--threshold-instances")
        {
            Description = "Scale only when the target count is off by at least this many (or the rate by --threshold-percent).",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("autoscale", "Scale apps behind the edge load balancer from the request rate HAProxy sees (marathon-lb-autoscale).");
        foreach (var option in new Option[] { marathon, haproxy, targetRps, apps, min, max, interval, samples, cooldown, thresholdPercent, thresholdInstances })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var marathonUrl = AdminRouterVerb.ParseUrl("--marathon", parse.GetValue(marathon)!, errors);
            var haproxies = Split(parse.GetValue(haproxy)!).Select(h => AdminRouterVerb.ParseUrl("--haproxy", h, errors)).OfType<Uri>().ToList();
            var frontends = Split(parse.GetValue(apps)!).ToList();
            foreach (string f in frontends.Where(f => !System.Text.RegularExpressions.Regex.IsMatch(f, @"^[A-Za-z0-9_.\-]+_\d+$")))
            {
                errors.Add($"--apps: '{f}' is not APPID_SERVICEPORT (e.g. nginx_10000)");
            }

            if (frontends.Count == 0)
            {
                errors.Add("--apps: at least one APPID_SERVICEPORT is required");
            }

            double rps = parse.GetValue(targetRps);
            if (!(rps > 0) || double.IsInfinity(rps))
            {
                errors.Add($"--target-rps: must be more than zero, got {rps}");
            }

            int minimum = parse.GetValue(min), maximum = parse.GetValue(max), sampleCount = parse.GetValue(samples), cool = parse.GetValue(cooldown);
            if (minimum < 0 || maximum < 1 || minimum > maximum)
            {
                errors.Add($"--min-instances/--max-instances: need 0 <= min <= max and max >= 1, got {minimum} and {maximum}");
            }

            if (sampleCount < 1)
            {
                errors.Add($"--samples: must be at least 1, got {sampleCount}");
            }

            if (cool < 0)
            {
                errors.Add($"--cooldown: cannot be negative, got {cool}");
            }

            double percent = parse.GetValue(thresholdPercent);
            int instancesOff = parse.GetValue(thresholdInstances);
            if (!(percent >= 0) || double.IsInfinity(percent))
            {
                errors.Add($"--threshold-percent: must be zero or more, got {percent}");
            }

            if (instancesOff < 0)
            {
                errors.Add($"--threshold-instances: cannot be negative, got {instancesOff}");
            }

            string intervalText = parse.GetValue(interval)!;
            var every = int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DurationFlags.Positive("--interval", intervalText, errors);
            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"minuet autoscale: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("System.Net.Http", LogLevel.Warning));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var options = new AutoscaleOptions
            {
                Apps = frontends, TargetRps = rps, MinInstances = minimum, MaxInstances = maximum, Interval = every, Samples = sampleCount, Cooldown = cool,
                ThresholdPercent = percent, ThresholdInstances = instancesOff,
            };
            var scaler = new Autoscaler(options, new HttpStatsSource(haproxies, http), marathonUrl!, http, loggers.CreateLogger("autoscale"), TimeProvider.System);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"minuet autoscale: {string.Join(",", frontends)} at {rps} req/s per instance, sampling {string.Join(",", haproxies)} every {every.TotalSeconds} s").ConfigureAwait(false);
            try
            {
                await scaler.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM
            }

            return 0;
        });
        return command;
    }

    private static IEnumerable<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
