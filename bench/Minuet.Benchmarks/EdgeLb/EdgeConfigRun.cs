using System.Diagnostics;
using System.Globalization;
using System.Text;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Benchmarks.EdgeLb;

/// <summary>
/// <c>edge-config [APPS]</c> (./run-bench.sh edge): the time the edge balancer takes from a <c>/v2/apps?embed=apps.tasks</c>
/// body to HAProxy text (parse, labels, health filter, render) for APPS apps of 3 healthy tasks, half with a vhost.
/// Prints the median and p99 of 50 runs after 5 warm-ups.
/// </summary>
internal static class EdgeConfigRun
{
    public const string Verb = "edge-config";

    public static int Run(string[] args)
    {
        int apps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var body = new StringBuilder("{\"apps\":[");
        for (int a = 0; a < apps; a++)
        {
            body.Append(CultureInfo.InvariantCulture, $$"""{{(a > 0 ? "," : "")}}{"id":"/bench/app{{a}}","instances":3,"labels":{"HAPROXY_GROUP":"external"{{(a % 2 == 0 ? $",\"HAPROXY_0_VHOST\":\"app{a}.example.com\"" : "")}}},"portDefinitions":[{"port":{{10000 + a}}}],"healthChecks":[{"protocol":"HTTP","path":"/","portIndex":0,"intervalSeconds":2,"timeoutSeconds":10,"maxConsecutiveFailures":3}],"tasks":[""");
            for (int t = 0; t < 3; t++)
            {
                body.Append(CultureInfo.InvariantCulture, $$"""{{(t > 0 ? "," : "")}}{"id":"bench_app{{a}}.{{t}}","host":"10.0.{{t}}.{{a % 250}}","ports":[{{20000 + a}}],"state":"TASK_RUNNING","healthCheckResults":[{"alive":true}]}""");
            }

            body.Append("]}");
        }

        body.Append("]}");
        string json = body.ToString();
        var options = new GeneratorOptions { Groups = ["external"], HaproxyDir = "/run/edge-lb" };
        var times = new List<double>();
        int length = 0;
        for (int i = 0; i < 55; i++)
        {
            var clock = Stopwatch.StartNew();
            var (parsed, _) = MarathonAppsReader.Parse(json);
            var (services, _) = new ServiceBuilder(h => h, strictMode: false).Build(parsed);
            length = ConfigRenderer.Render(services, options).Text.Length;
            if (i >= 5)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edge-config: {apps} apps x 3 tasks ({json.Length / 1024} KiB JSON -> {length / 1024} KiB haproxy.cfg): median {times[times.Count / 2]:F1} ms, p99 {times[(int)(times.Count * 0.99)]:F1} ms"));
        return 0;
    }
}
