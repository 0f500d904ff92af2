using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>Between Mesos's <c>TaskInfo</c> and the master's <see cref="TaskSpec"/>, both ways.</summary>
internal static class V1Tasks
{
    private const double NanosPerSecond = 1e9;

    /// <summary>
    /// A TaskInfo as the master launches it, or null with field errors (paths relative to the task) when it cannot be
    /// launched here; the caller answers those with TASK_ERROR as Mesos does.
    /// </summary>
    public static TaskSpec? ToSpec(V1TaskInfo info, string agentId, FieldErrorList errors)
    {
        int before = errors.Count;
        if (string.IsNullOrEmpty(info.Name))
        {
            errors.Add("/name", "is required");
        }

        if (info.AgentId?.Value is not { Length: > 0 } agent)
        {
            errors.Add("/agent_id", "is required");
        }
        else if (agentId.Length > 0 && agent != agentId)
        {
            errors.Add("/agent_id", $"'{agent}' is not the agent of the offers ('{agentId}')");
        }

        if ((info.Command is null) == (info.Executor is null))
        {
            errors.Add(info.Command is null ? "/command" : "/executor", "exactly one of 'command' and 'executor' must be set");
        }

        var resources = V1Resources.Parse(info.Resources, "/resources", errors);
        var command = info.Command is null ? null : ToCommand(info.Command, "/command", errors);
        ExecutorInfo? executor = null;
        if (info.Executor is { } e)
        {
            if (e.ExecutorId?.Value is not { Length: > 0 } executorId)
            {
                errors.Add("/executor/executor_id", "is required");
            }
            else if (e.Command is null)
            {
                errors.Add("/executor/command", "is required (only CUSTOM executors with a command are supported)");
            }
            else if (e.Type is not (null or "CUSTOM" or "UNKNOWN"))
            {
                errors.Add("/executor/type", $"'{e.Type}' executors are not supported (only CUSTOM)");
            }
            else
            {
                var executorResources = V1Resources.Parse(e.Resources, "/executor/resources", errors);
                executor = new ExecutorInfo
                {
                    ExecutorId = executorId,
                    Name = e.Name,
                    Command = ToCommand(e.Command, "/executor/command", errors).ToCommandInfo(),
                    Resources = e.Resources is { Count: > 0 } ? executorResources : null,
                    Container = e.Container,
                };
            }
        }

        var health = info.HealthCheck is null ? null : ToHealthCheck(info.HealthCheck, errors);
        if (errors.Count > before)
        {
            return null;
        }

        double? grace = info.KillPolicy?.GracePeriod is { } period ? period.Nanoseconds / NanosPerSecond : null;
        return new TaskSpec
        {
            TaskId = info.TaskId?.Value,
            Name = info.Name,

            // A task with an executor has no command of its own: the agent runs the executor, which runs the task.
            // The launch still carries one (the agent protocol requires it): the executor's.
            Command = command ?? ToCommand(info.Executor!.Command!, "/executor/command", errors),
            Resources = resources,
            Labels = info.Labels?.Labels ?? [],
            Discovery = info.Discovery,
            HealthCheck = health,
            Container = info.Container,
            Executor = executor,
            Data = info.Data,
            KillGracePeriodSeconds = grace,
        };
    }

    private static TaskCommand ToCommand(V1CommandInfo command, string path, FieldErrorList errors)
    {
        if (command.Uris is { Count: > 0 })
        {
            errors.Add(path + "/uris", "fetching URIs is not supported by this cluster's agents");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = command.Environment?.Variables ?? [];
        for (int i = 0; i < variables.Count; i++)
        {
            if (variables[i]?.Name is not { Length: > 0 } name)
            {
                errors.Add($"{path}/environment/variables/{i}/name", "is required");
                continue;
            }

            if (variables[i].Type is "SECRET")
            {
                errors.Add($"{path}/environment/variables/{i}/type", "SECRET variables are not supported");
                continue;
            }

            environment[name] = variables[i].Value ?? string.Empty;
        }

        return new TaskCommand
        {
            Shell = command.Shell ?? true,
            Value = command.Value,
            Arguments = command.Arguments ?? [],
            Environment = environment,
            User = command.User,
        };
    }

    /// <summary>Mesos HealthCheck with its defaults; Mesos's executors kill a task once it fails the check too often.</summary>
    private static HealthCheck? ToHealthCheck(V1HealthCheck check, FieldErrorList errors)
    {
        string type = check.Type ?? (check.Http is not null ? "HTTP" : check.Tcp is not null ? "TCP" : check.Command is not null ? "COMMAND" : "UNKNOWN");
        int failures = check.ConsecutiveFailures ?? 3;
        var health = new HealthCheck
        {
            Type = type,
            DelaySeconds = check.DelaySeconds ?? 15,
            IntervalSeconds = check.IntervalSeconds ?? 10,
            TimeoutSeconds = check.TimeoutSeconds ?? 20,
            ConsecutiveFailures = failures,
            GracePeriodSeconds = check.GracePeriodSeconds ?? 10,
            KillOnUnhealthy = failures > 0,
        };
        switch (type)
        {
            case "HTTP" when check.Http is { } http:
                return health with { Http = new HttpCheck { Port = http.Port, Path = http.Path ?? "/", Scheme = http.Scheme ?? "http" } };
            case "TCP" when check.Tcp is { } tcp:
                return health with { Tcp = new TcpCheck { Port = tcp.Port } };
            case "COMMAND" when check.Command is { Value: { } value } command:
                return health with { Command = new CommandCheck { Value = value, Shell = command.Shell ?? true, Arguments = command.Arguments ?? [] } };
            default:
                errors.Add("/health_check", $"type '{type}' needs its matching 'http', 'tcp' or 'command' (with a value)");
                return null;
        }
    }

    /// <summary>The master's task as a Mesos TaskInfo (the Minuet scheduler's launches over the v1 API).</summary>
    public static V1TaskInfo ToV1(TaskSpec spec, string agentId) => new()
    {
        Name = spec.Name,
        TaskId = new V1Id(spec.TaskId),
        AgentId = new V1Id(agentId),
        Resources = spec.Resources is null ? null : V1Resources.ToV1(spec.Resources, null, V1Resources.Unreserved, null)
            .Select(r => r with { Role = null, AllocationInfo = null }).ToList(),
        Command = spec.Executor is null && spec.Command is { } command ? ToV1(command) : null,
        Executor = spec.Executor is { } e ? new V1ExecutorInfo
        {
            Type = "CUSTOM",
            ExecutorId = new V1Id(e.ExecutorId),
            Name = e.Name,
            Command = ToV1(e.Command),
            Resources = e.Resources is null ? null : V1Resources.ToV1(e.Resources, null, V1Resources.Unreserved, null),
            Container = e.Container,
        }
        : null,
        Container = spec.Container,
        HealthCheck = spec.HealthCheck is { } h ? ToV1(h) : null,
        KillPolicy = spec.KillGracePeriodSeconds is { } grace ? new V1KillPolicy(new V1Duration((long)(grace * NanosPerSecond))) : null,
        Data = spec.Data,
        Labels = spec.Labels is { Count: > 0 } labels ? new LabelList { Labels = labels } : null,
        Discovery = spec.Discovery,
    };

    private static V1CommandInfo ToV1(TaskCommand command) => new()
    {
        Shell = command.Shell ?? true,
        Value = command.Value,
        Arguments = command.Arguments is { Count: > 0 } args ? args : null,
        Environment = command.Environment is { Count: > 0 } env
            ? new V1Environment(env.Select(kv => new V1Variable { Name = kv.Key, Type = "VALUE", Value = kv.Value }).ToList())
            : null,
        User = command.User,
    };

    private static V1CommandInfo ToV1(CommandInfo command) => ToV1(new TaskCommand
    {
        Shell = command.Shell,
        Value = command.Value,
        Arguments = command.Arguments,
        Environment = command.Environment,
        User = command.User,
    });

    /// <summary>
    /// Mesos has no "report but do not kill" switch: a check that must not kill (the scheduler decides) goes out
    /// with <c>consecutive_failures: 0</c>, which the agent reads as never unhealthy-kill.
    /// </summary>
    private static V1HealthCheck ToV1(HealthCheck check) => new()
    {
        Type = check.Type,
        DelaySeconds = check.DelaySeconds,
        IntervalSeconds = check.IntervalSeconds,
        TimeoutSeconds = check.TimeoutSeconds,
        ConsecutiveFailures = check.KillOnUnhealthy ? check.ConsecutiveFailures : 0,
        GracePeriodSeconds = check.GracePeriodSeconds,
        Http = check.Http is { } http ? new V1HttpCheck { Port = http.Port, Path = http.Path, Scheme = http.Scheme } : null,
        Tcp = check.Tcp is { } tcp ? new V1TcpCheck(tcp.Port) : null,
        Command = check.Command is { } c ? new V1CommandInfo { Value = c.Value, Shell = c.Shell, Arguments = c.Arguments is { Count: > 0 } a ? a : null } : null,
    };
}
