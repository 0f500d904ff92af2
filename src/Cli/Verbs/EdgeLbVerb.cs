using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.Platform.EdgeLb;
using Minuet.Platform.EdgeLb.Config;
using Minuet.Platform.EdgeLb.Runtime;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet edge-lb --marathon URL --group G [--group ...] --haproxy-dir DIR [--dont-bind-http-https] [--strict-mode]
/// [--ssl-certs FILE[,FILE]]</c>: marathon-lb on Debian's HAProxy (see src/Platform/EdgeLb/README.md).
/// </summary>
internal static class EdgeLbVerb
{
    public static Command Create()
    {
        var marathon = new Option<string>("--marathon") { Description = "Marathon URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var group = new Option<string[]>("--group") { Description = "HAProxy group(s) to serve (HAPROXY_GROUP); repeatable; * serves every app.", Required = true };
        var dir = new Option<string>("--haproxy-dir") { Description = "Where haproxy.cfg, its stats socket and server state live.", Required = true };
        var noHttp = new Option<bool>("--dont-bind-http-https") { Description = "Do not bind :80 and :443 (vhost frontends), as marathon-lb." };
        var strict = new Option<bool>("--strict-mode") { Description = "Serve only ports with HAPROXY_{n}_ENABLED=true." };
        var certs = new Option<string?>("--ssl-certs") { Description = "Certificate file(s) for the :443 SNI frontend (comma list); without it :443 is not bound." };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };
        var command = new Command("edge-lb", "Run the edge load balancer: HAProxy configured from Marathon's apps and events, marathon-lb's labels (stats on :9090).");
        foreach (var option in new Option[] { marathon, group, dir, noHttp, strict, certs, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            var marathonUrl = AdminRouterVerb.ParseUrl("--marathon", parse.GetValue(marathon)!, errors);
            string[] groups = parse.GetValue(group)!.SelectMany(g => g.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            if (groups.Length == 0)
            {
                errors.Add("--group: at least one group is required (marathon-lb's --group; * for all apps)");
            }

            string? certList = parse.GetValue(certs);
            foreach (string cert in (certList ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!File.Exists(cert))
                {
                    errors.Add($"--ssl-certs: {cert} does not exist");
                }
            }

            if (!File.Exists(HaproxyProcess.Binary))
            {
                errors.Add($"haproxy: {HaproxyProcess.Binary} is not installed (apt-get install haproxy)");
            }

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"minuet edge-lb: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            var log = loggers.CreateLogger("edge-lb");
            string haproxyDir = Path.GetFullPath(parse.GetValue(dir)!);
            var options = new EdgeLbOptions
            {
                Marathon = marathonUrl!,
                StrictMode = parse.GetValue(strict),
                Generator = new GeneratorOptions
                {
                    Groups = groups,
                    BindHttpHttps = !parse.GetValue(noHttp),
                    SslCerts = certList,
                    HaproxyDir = haproxyDir,
                },
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var controller = new EdgeLbController(options, http, log);
            await using var control = ControlServer.Create(controller, haproxyDir, loggers);
            await control.StartAsync(stop.Token).ConfigureAwait(false);
            var follower = new MarathonEventFollower(marathonUrl!, http, controller, log).RunAsync(stop.Token);
            string? problem = await controller.RunAsync(
                () => parse.InvocationConfiguration.Output.WriteLine(
                    $"minuet edge-lb: HAProxy serving groups {string.Join(",", groups)} from {marathonUrl} (stats on :9090, config in {haproxyDir})"),
                stop.Token).ConfigureAwait(false);
            await control.StopAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await follower.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }

            if (problem is not null)
            {
                await error.WriteLineAsync($"minuet edge-lb: {problem}").ConfigureAwait(false);
                return 1;
            }

            return 0;
        });
        return command;
    }
}
