using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.Platform.Jobs;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet jobs --listen 127.0.0.1:9000 --chronos-listen 127.0.0.1:4400 --master URL --state-dir DIR</c>: the jobs
/// service (Metronome's /v1/jobs, Chronos's /v1/scheduler), a framework on the master.
/// </summary>
internal static class JobsVerb
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP:port for Metronome's /v1/jobs API", DefaultValueFactory = _ => "127.0.0.1:9000" };
        var chronos = new Option<string>("--chronos-listen") { Description = "IP:port for the Chronos API (/v1/scheduler/...)", DefaultValueFactory = _ => "127.0.0.1:4400" };
        var master = new Option<string>("--master") { Description = "The master's URL, or every master of an HA cluster, comma-separated (the leader is followed)", DefaultValueFactory = _ => "http://127.0.0.1:5050" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Directory for jobs.db (jobs, runs, history, dependency edges, framework id); required with --store sqlite" };
        var storeKind = new Option<string>("--store") { Description = "sqlite (one jobs service) or etcd (several, one leads and launches, the others proxy both APIs to it)", DefaultValueFactory = _ => "sqlite" };
        var etcdEndpoints = new Option<string?>("--etcd-endpoints") { Description = "etcd client URLs for --store etcd, e.g. http://127.0.0.1:2379,http://127.0.0.1:22379" };
        var leaderTtl = new Option<string>("--leader-ttl") { Description = "Lease TTL of the jobs leader key /minuet/metronome/leader (--store etcd)", DefaultValueFactory = _ => "5s" };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname reported to the master (default: the machine name)" };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };
        var command = new Command("jobs", "Run the jobs service: scheduled and dependent batch jobs (framework 'metronome'), Metronome's /v1/jobs API and a Chronos shim.");
        foreach (var option in new Option[] { listen, chronos, master, stateDir, storeKind, etcdEndpoints, leaderTtl, hostname, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            if (!MasterVerb.TryParseEndpoint(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                errors.Add($"--listen: {listenError}");
            }

            if (!MasterVerb.TryParseEndpoint(parse.GetValue(chronos)!, out var chronosEndpoint, out var chronosError))
            {
                errors.Add($"--chronos-listen: {chronosError}");
            }

            var masterText = parse.GetValue(master)!;
            if (!Minuet.Coordination.MasterList.TryParse(masterText, out var masterUrls, out _) || masterUrls.Any(u => u.Scheme != "http"))
            {
                errors.Add($"--master: '{masterText}' is not an http URL (e.g. http://127.0.0.1:5050), nor several comma-separated");
            }

            var store = parse.GetValue(storeKind);
            var etcd = StoreFlags.Parse(store, parse.GetValue(stateDir), parse.GetValue(etcdEndpoints), errors);
            var ttl = DurationFlags.Positive("--leader-ttl", parse.GetValue(leaderTtl)!, errors);

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    error.WriteLine($"minuet jobs: {e}");
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            var jobsOptions = new Platform.Jobs.Engine.JobsOptions { Hostname = parse.GetValue(hostname) ?? Environment.MachineName };
            if (store == "etcd")
            {
                var options = new JobsHostOptions { Listen = endpoint!, ChronosListen = chronosEndpoint, Masters = masterUrls, Jobs = jobsOptions };
                return await RunHaAsync(parse, options, etcd, ttl, loggers, stop.Token).ConfigureAwait(false);
            }

            string dir = Path.GetFullPath(parse.GetValue(stateDir)!);
            JobsHost host;
            try
            {
                host = JobsHost.Create(new JobsHostOptions
                {
                    Listen = endpoint!,
                    ChronosListen = chronosEndpoint,
                    Masters = masterUrls,
                    StateDir = dir,
                    Jobs = jobsOptions,
                }, loggers);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                error.WriteLine($"minuet jobs: --state-dir: cannot open the store in '{dir}': {e.Message}");
                return 1;
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.StartAsync(stop.Token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    error.WriteLine($"minuet jobs: cannot listen on {endpoint} / {chronosEndpoint}: {e.Message}");
                    return 1;
                }

                parse.InvocationConfiguration.Output.WriteLine($"minuet jobs: Metronome API on {endpoint}, Chronos API on {chronosEndpoint}, master {string.Join(",", masterUrls)}, state in {dir}");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
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

    /// <summary>One jobs service of an HA group: stands by (proxying both APIs to the leader) until elected; resigns on SIGTERM.</summary>
    private static async Task<int> RunHaAsync(ParseResult parse, JobsHostOptions options, IReadOnlyList<Uri> etcd, TimeSpan ttl, ILoggerFactory loggers, CancellationToken stop)
    {
        var host = Platform.Jobs.Ha.HaJobsHost.Create(options, etcd, ttl, loggers);
        await using (host.ConfigureAwait(false))
        {
            try
            {
                await host.StartAsync(stop).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"minuet jobs: cannot listen on {options.Listen} / {options.ChronosListen}: {e.Message}");
                return 1;
            }

            parse.InvocationConfiguration.Output.WriteLine(
                $"minuet jobs: Metronome API on {options.Listen}, Chronos API on {options.ChronosListen}, master {string.Join(",", options.Masters)}, " +
                $"campaigning on {Platform.Jobs.Ha.HaJobsHost.LeaderKey} in etcd {string.Join(',', etcd)} (leader TTL {ttl.TotalSeconds:0.#} s)");
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
