using System.Net;
using Minuet.ControlPlane.Agent.Health;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Health checks: probes aimed only at the task itself (127.0.0.1, or its own IP inside its namespace).</summary>
internal sealed partial class AgentRuntime
{
    private void StartHealthCheck(AgentTask task)
    {
        var check = task.Launch.HealthCheck;
        if (check is null)
        {
            return;
        }

        string? netns;
        string? ip;
        double startedAt;
        bool? healthy;
        lock (task.Gate)
        {
            netns = task.NetnsName;
            ip = task.IpAddress;
            startedAt = task.StartedAt ?? Now();
            healthy = task.Healthy;
        }

        if (task.IsDocker)
        {
            StartDockerHealthCheck(task, check, startedAt, healthy);
            return;
        }

        var address = ip is not null && IPAddress.TryParse(ip, out var own) ? own : IPAddress.Loopback;
        IHealthProbe probe = check.Type switch
        {
            "TCP" => new TcpProbe(address, check.Tcp!.Port, netns),
            "HTTP" => new HttpProbe(address, check.Http!.Port, check.Http.Path, netns),
            _ => new CommandProbe(CommandProbeArgv(check.Command!, netns),
                TaskEnvironment.Build(task.Launch, _options.Hostname, _store.Sandbox(task.TaskId), _options.TaskPath),
                _store.Sandbox(task.TaskId)),
        };
        var tracker = new HealthTracker(check, startedAt, healthy);
        Track(() => HealthCheckRunner.RunAsync(check, probe, tracker, (verdict, cause) => OnHealthVerdict(task, verdict, cause),
            _time, task.Lifetime.Token));
    }

    private List<string> CommandProbeArgv(CommandCheck command, string? netns)
    {
        var argv = new List<string>();
        if (netns is not null && _network is not null)
        {
            argv.AddRange(_network.ExecPrefix(netns));
        }

        argv.AddRange(TaskEnvironment.CommandArgv(new CommandInfo
        {
            Shell = command.Shell,
            Value = command.Value,
            Arguments = command.Arguments,
        }));
        return argv;
    }

    private Task OnHealthVerdict(AgentTask task, HealthVerdict verdict, string? cause)
    {
        lock (task.Gate)
        {
            if (task.TerminalRecorded || task.KillRequested)
            {
                return Task.CompletedTask;
            }

            task.Healthy = verdict.Healthy;
            if (verdict.Changed)
            {
                string message = verdict.Healthy == true
                    ? "Health check passed"
                    : $"Health check failed ({verdict.ConsecutiveFailures} in a row): {cause}";
                Enqueue(task, TaskState.Running, TaskStatusReasons.HealthCheckStatusUpdated, message);
            }
        }

        LogHealth(_logger, task.TaskId, verdict.Healthy == true, cause ?? "ok");
        if (verdict.Kill)
        {
            Kill(task.TaskId, reason: TaskStatusReasons.HealthCheckStatusUpdated);
        }

        return Task.CompletedTask;
    }
}
