using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Scheduler;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet scheduler --master URL --marathon-listen 0.0.0.0:8080 --state-dir DIR</c>: the Marathon-style scheduler.</summary>
internal static class SchedulerVerb
{
    public static Command Create()
    {
        var master = new Option<string>("--master") { Description = "The master's URL, e.g. http://127.0.0.1:5050, or every master of an HA cluster, comma-separated (the leader is followed)", DefaultValueFactory = _ => "http://127.0.0.1:5050" };
        var listen = new Option<string>("--marathon-listen") { Description = "IP:port for Marathon's /v2 API", DefaultValueFactory = _ => "0.0.0.0:8080" };
        var stateDir = new Option<string>("--state-dir") { Description = "Directory for scheduler.db (apps, tasks, deployments, framework id); required with --store sqlite" };
        var storeKind = new Option<string>("--store") { Description = "sqlite (one scheduler) or etcd (several schedulers, one leads, the others proxy to it)", DefaultValueFactory = _ => "sqlite" };
        var etcdEndpoints = new Option<string?>("--etcd-endpoints") { Description = "etcd client URLs for --store etcd, e.g. http://127.0.0.1:2379,http://127.0.0.1:22379" };
        var leaderTtl = new Option<string>("--leader-ttl") { Description = "Lease TTL of the scheduler leader key (--store etcd)", DefaultValueFactory = _ => "5s" };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname reported to the master (default: the machine name)" };
        var allowPrivileged = new Option<bool>("--allow-privileged") { Description = "Admit apps with container.docker.privileged (otherwise 422); agents must allow it too (--docker-allow-privileged)." };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };

        var command = new Command("scheduler", "Run the Marathon-style scheduler: framework 'marathon' on the master, /v2 API, deployments.");
        foreach (var option in new Option[] { master, listen, stateDir, storeKind, etcdEndpoints, leaderTtl, hostname, logLevel, allowPrivileged })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            if (!MasterVerb.TryParseEndpoint(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                errors.Add($"--marathon-listen: {listenError}");
            }

            var masterText = parse.GetValue(master)!;
            if (!Minuet.Coordination.MasterList.TryParse(masterText, out var masterUrls, out _) || masterUrls.Any(u => u.Scheme != "http"))
            {
                errors.Add($"--master: '{masterText}' is not an http URL (e.g. http://127.0.0.1:5050), nor several comma-separated");
            }

            var dir = parse.GetValue(stateDir);
            var store = parse.GetValue(storeKind);
            var etcd = StoreFlags.Parse(store, dir, parse.GetValue(etcdEndpoints), errors);

            var ttl = DurationFlags.Positive("--leader-ttl", parse.GetValue(leaderTtl)!, errors);

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    error.WriteLine($"minuet scheduler: {e}");
                }

                return 1;
            }

            // SIGTERM and SIGINT stop the scheduler cleanly (scheduler.db is closed; apps, tasks and deployments are kept).
            using var stop = new StopSignals(cancellationToken);
            cancellationToken = stop.Token;
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            var hostOptions = new SchedulerHostOptions
            {
                MarathonListen = endpoint!,
                MasterUrl = masterUrls[0],
                MasterUrls = masterUrls,
                StateDir = store == "etcd" ? null : Path.GetFullPath(dir!),
                Scheduler = new SchedulerOptions { Hostname = parse.GetValue(hostname) ?? Environment.MachineName, AllowPrivileged = parse.GetValue(allowPrivileged) },
            };
            if (store == "etcd")
            {
                return await RunHaAsync(parse, hostOptions, etcd, ttl, loggers, stop.Token).ConfigureAwait(false);
            }

            SchedulerHost host;
            try
            {
                host = SchedulerHost.Create(hostOptions, loggers);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                error.WriteLine($"minuet scheduler: --state-dir: cannot open the store in '{dir}': {e.Message}");
                return 1;
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    error.WriteLine($"minuet scheduler: --marathon-listen: cannot listen on {endpoint}: {e.Message}");
                    return 1;
                }

                parse.InvocationConfiguration.Output.WriteLine($"minuet scheduler: Marathon API on {endpoint}, master {string.Join(",", masterUrls)}, state in {Path.GetFullPath(dir!)}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C / SIGTERM: stop cleanly.
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>One scheduler of an HA group: stands by (proxying to the leader) until elected; resigns on SIGTERM.</summary>
    private static async Task<int> RunHaAsync(ParseResult parse, SchedulerHostOptions options, IReadOnlyList<Uri> etcd, TimeSpan ttl, ILoggerFactory loggers, CancellationToken stop)
    {
        var host = Minuet.ControlPlane.Scheduler.Ha.HaSchedulerHost.Create(options, etcd, ttl, loggers);
        await using (host.ConfigureAwait(false))
        {
            try
            {
                await host.StartAsync(stop).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"minuet scheduler: --marathon-listen: cannot listen on {options.MarathonListen}: {e.Message}");
                return 1;
            }

            parse.InvocationConfiguration.Output.WriteLine(
                $"minuet scheduler: Marathon API on {options.MarathonListen}, master {options.MasterUrl}, campaigning on etcd {string.Join(',', etcd)} (leader TTL {ttl.TotalSeconds:0.#} s)");
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: resign and stop.
            }
        }

        return 0;
    }
}
