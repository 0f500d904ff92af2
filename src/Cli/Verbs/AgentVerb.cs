using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.Coordination;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet agent --master URL --resources "cpus:2;mem:2048;ports:[31000-32000]"</c>: runs an agent until interrupted.</summary>
internal static class AgentVerb
{
    public static Command Create()
    {
        var master = new Option<string>("--master")
        {
            Description = "Master URL, e.g. http://10.0.0.1:5050, or every master of an HA cluster, http://m1:5050,http://m2:5050,http://m3:5050 " +
                          "(the agent registers with the leader and follows it when it changes)",
            Required = true,
        };
        var resources = new Option<string?>("--resources")
        {
            Description = "Resources offered, Mesos style: \"cpus:2;mem:2048;disk:10000;ports:[31000-32000]\"; name(role):value " +
                          "reserves statically. Missing ones are detected (all CPUs, memory minus 1 GB, ports [31000-32000]).",
        };
        var workDir = new Option<string>("--work-dir")
        {
            Description = "Task sandboxes and checkpoints (running tasks are re-adopted from here after a restart)",
            DefaultValueFactory = _ => "/var/lib/minuet/agent",
        };
        var listen = new Option<string>("--listen") { Description = "IP:port the agent's HTTP endpoint listens on", DefaultValueFactory = _ => "0.0.0.0:5051" };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname reported to the master and given to tasks as HOST (default: the machine name)" };
        var advertise = new Option<string?>("--advertise-ip") { Description = "IP the master reaches this agent at (default: the listen IP, or the local IP that routes to the master)" };
        var attributes = new Option<string?>("--attributes") { Description = "Agent attributes for constraints, e.g. \"rack:r1;zone:a\"" };
        var taskNetwork = new Option<string?>("--task-network")
        {
            Description = "Enable per-task network namespaces on bridge minuet0 with this IPv4 subnet (default 198.19.128.0/20 when given " +
                          "without a value). Tasks that ask for container network 'minuet' get their own IP there, reported in " +
                          "network_infos. Partial: IPv4 only, no NAT or host port mapping; tasks reach the agent and each other, not beyond.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var noCgroups = new Option<bool>("--no-cgroups") { Description = "Do not put tasks in cgroup v1 cpu/memory groups even where available" };
        var killGrace = new Option<string>("--default-kill-grace") { Description = "SIGTERM to SIGKILL wait when the launch gives none", DefaultValueFactory = _ => "3s" };
        var containerizers = new Option<string?>("--containerizers")
        {
            Description = "mesos, docker or mesos,docker (default: mesos,docker when the Docker socket answers at start, else mesos; said in the log)",
        };
        var dockerSocket = new Option<string?>("--docker-socket") { Description = "Docker Engine Unix socket (default: DOCKER_HOST if unix://, else /var/run/docker.sock)" };
        var dockerPrivileged = new Option<bool>("--docker-allow-privileged") { Description = "Let Docker tasks run privileged or change capabilities (refused otherwise)" };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };

        var command = new Command("agent", "Run an agent: registers with the master, runs tasks as process groups, health-checks them and reports their states.");
        foreach (var option in new Option[] { master, resources, workDir, listen, hostname, advertise, attributes, taskNetwork, noCgroups, killGrace, containerizers, dockerSocket, dockerPrivileged, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            string masterText = parse.GetValue(master)!;
            if (!MasterList.TryParse(masterText, out var masterUris, out var masterError))
            {
                errors.Add($"--master: {masterError}");
            }

            if (!MasterVerb.TryParseEndpoint(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                errors.Add($"--listen: {listenError}");
            }

            string dir = Path.GetFullPath(parse.GetValue(workDir)!);
            var parsedResources = ResourceStringParser.Parse(parse.GetValue(resources), ResourceDefaults.Detect(dir));
            if (!parsedResources.Ok)
            {
                errors.Add(parsedResources.Error!);
            }

            var parsedAttributes = AttributeParser.Parse(parse.GetValue(attributes));
            if (!parsedAttributes.Ok)
            {
                errors.Add(parsedAttributes.Error!);
            }

            string? ip = parse.GetValue(advertise);
            if (ip is not null && !IPAddress.TryParse(ip, out _))
            {
                errors.Add($"--advertise-ip: '{ip}' is not an IP address");
            }

            // Zero is allowed, as for an app's taskKillGracePeriodSeconds: SIGKILL right after SIGTERM.
            var grace = DurationFlags.NonNegative("--default-kill-grace", parse.GetValue(killGrace)!, errors);

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            TaskNetworkOptions? network = null;
            if (parse.GetResult(taskNetwork) is not null)
            {
                network = new TaskNetworkOptions { Subnet = parse.GetValue(taskNetwork) ?? new TaskNetworkOptions().Subnet };
            }

            var (useMesos, useDocker, containerizerError) = parse.GetValue(containerizers) is { } named
                ? DockerOptions.ParseContainerizers(named)
                : (true, true, null);
            if (containerizerError is not null)
            {
                errors.Add(containerizerError);
            }

            var (socket, socketError) = DockerOptions.ResolveSocket(parse.GetValue(dockerSocket), Environment.GetEnvironmentVariable("DOCKER_HOST"));
            // Only a named docker containerizer makes a bad socket setting fatal; by default Docker is then just off.
            if (socketError is not null && useDocker && parse.GetValue(containerizers) is not null)
            {
                errors.Add(socketError);
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    error.WriteLine($"minuet agent: {e}");
                }

                return 1;
            }

            string host = parse.GetValue(hostname) ?? Environment.MachineName;
            var options = new AgentHostOptions
            {
                Master = masterUris[0],
                Masters = masterUris,
                Listen = endpoint!,
                AdvertiseIp = ip,
                Resources = parsedResources.Value!,
                Attributes = parsedAttributes.Value!,
                Runtime = new AgentRuntimeOptions
                {
                    WorkDir = dir,
                    Hostname = host,
                    Address = ip ?? "127.0.0.1",
                    CgroupRoot = parse.GetValue(noCgroups) ? null : "/sys/fs/cgroup",
                    DefaultKillGrace = grace,
                    TaskNetwork = network,
                    MesosContainerizer = useMesos,
                    Docker = useDocker && socket is not null
                        ? new DockerOptions
                        {
                            Enabled = parse.GetValue(containerizers) is null ? null : true,
                            Socket = socket,
                            AllowPrivileged = parse.GetValue(dockerPrivileged),
                        }
                        : null,
                },
            };

            // SIGTERM and SIGINT stop the agent cleanly; its tasks keep running and are re-adopted on the next start.
            using var stop = new StopSignals(cancellationToken);
            cancellationToken = stop.Token;
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            var (agent, startError) = await AgentHost.StartAsync(options, loggers, cancellationToken).ConfigureAwait(false);
            if (agent is null)
            {
                error.WriteLine($"minuet agent: {startError}");
                return 1;
            }

            await using (agent.ConfigureAwait(false))
            {
                var (cpu, memory) = agent.Runtime.CgroupsInUse;
                parse.InvocationConfiguration.Output.WriteLine(
                    $"minuet agent {host} listening on {endpoint!.Address}:{agent.Port} (registered as {agent.Address}:{agent.Port}), " +
                    $"master {string.Join(",", masterUris)}, work dir {dir}, cgroups cpu={cpu} memory={memory}, task network {(network is null ? "off" : network.Subnet)}, " +
                    $"containerizers {agent.Runtime.Containerizers}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C / SIGTERM: stop; tasks keep running and are re-adopted on the next start.
                }
            }

            return 0;
        });
        return command;
    }
}
