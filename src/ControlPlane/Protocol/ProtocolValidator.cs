using System.Net;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Checks protocol messages and collects every problem with its JSON pointer, so a bad registration or launch
/// is answered 422 naming each field (both sides use it: the master for registrations and status updates,
/// the agent for launches).
/// </summary>
internal static class ProtocolValidator
{
    public static IReadOnlyList<FieldError> Validate(RegisterAgentRequest request)
    {
        var errors = new FieldErrors();
        if (request.AgentId is { Length: 0 })
        {
            errors.Add("/agent_id", "must not be empty when present");
        }

        errors.Require("/hostname", request.Hostname);
        if (string.IsNullOrWhiteSpace(request.Address) || !IPAddress.TryParse(request.Address, out _))
        {
            errors.Add("/address", "must be an IP address literal");
        }

        if (request.Port is < 1 or > 65535)
        {
            errors.Add("/port", "must be between 1 and 65535");
        }

        if (request.Resources is null)
        {
            errors.Add("/resources", "is required");
        }
        else
        {
            ValidateResources("/resources", request.Resources, errors);
        }

        foreach (var (role, reserved) in request.ReservedResources ?? new Dictionary<string, ResourceSet>())
        {
            if (string.IsNullOrWhiteSpace(role) || role == "*")
            {
                errors.Add("/reserved_resources", $"role '{role}' is not a reservable role");
            }

            ValidateResources($"/reserved_resources/{role}", reserved, errors);
        }

        var tasks = request.Tasks ?? [];
        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i]?.Launch is null || tasks[i].LatestStatus is null)
            {
                errors.Add($"/tasks/{i}", "needs launch and latest_status");
                continue;
            }

            ValidateLaunch($"/tasks/{i}/launch", tasks[i].Launch, errors);
        }

        return errors.ToList();
    }

    public static IReadOnlyList<FieldError> Validate(LaunchTaskRequest request)
    {
        var errors = new FieldErrors();
        ValidateLaunch(string.Empty, request, errors);
        return errors.ToList();
    }

    public static IReadOnlyList<FieldError> Validate(TaskStatusUpdate update)
    {
        var errors = new FieldErrors();
        errors.Require("/uuid", update.Uuid);
        errors.Require("/task_id", update.TaskId);
        errors.Require("/framework_id", update.FrameworkId);
        errors.Require("/agent_id", update.AgentId);
        if (!TaskStates.TryParseMesosName(update.State, out _))
        {
            errors.Add("/state", $"'{update.State}' is not a Mesos task state (TASK_RUNNING, TASK_FINISHED, ...)");
        }

        return errors.ToList();
    }

    private static void ValidateLaunch(string prefix, LaunchTaskRequest launch, FieldErrors errors)
    {
        errors.Require(prefix + "/task_id", launch.TaskId);
        errors.Require(prefix + "/name", launch.Name);
        errors.Require(prefix + "/framework_id", launch.FrameworkId);
        errors.Require(prefix + "/agent_id", launch.AgentId);
        if (launch.TaskId is { } id && (id.Contains('/', StringComparison.Ordinal) || id is "." or ".." || id.Any(char.IsControl) || id.Length > 200))
        {
            errors.Add(prefix + "/task_id", "must be at most 200 characters without '/' or control characters, and not '.' or '..' (it names the sandbox directory)");
        }

        TaskFieldLimits.Check(prefix, launch, errors.Add);
        if (launch.Executor is { } executor)
        {
            // The executor runs the task: the task's own command is optional (Mesos wants one or the other).
            ValidateExecutor(prefix + "/executor", executor, errors);
        }
        else if (launch.Command is null)
        {
            errors.Add(prefix + "/command", "is required");
        }
        else
        {
            var command = launch.Command;
            bool hasValue = !string.IsNullOrEmpty(command.Value);
            if (command.Shell && !hasValue)
            {
                errors.Add(prefix + "/command/value", "is required for a shell command");
            }

            // A Docker container without a command runs its image's own (Marathon sends shell false, no arguments).
            bool docker = launch.Container is { } c && (string.Equals(c.Type, "DOCKER", StringComparison.OrdinalIgnoreCase) || c.Docker is not null);
            if (!command.Shell && !hasValue && (command.Arguments ?? []).Count == 0 && !docker)
            {
                errors.Add(prefix + "/command/arguments", "needs the program (value or arguments[0]) when shell is false");
            }

            if (command.User is not null)
            {
                errors.Add(prefix + "/command/user", "is not supported (tasks run as the agent's user)");
            }

            foreach (var name in (command.Environment ?? new Dictionary<string, string>()).Keys)
            {
                if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
                {
                    errors.Add(prefix + "/command/environment", $"'{name}' is not a valid variable name");
                }
            }
        }

        if (launch.Resources is null)
        {
            errors.Add(prefix + "/resources", "is required");
        }
        else
        {
            ValidateResources(prefix + "/resources", launch.Resources, errors);
        }

        if (launch.KillGracePeriodSeconds is < 0)
        {
            errors.Add(prefix + "/kill_grace_period_seconds", "must not be negative");
        }

        if (launch.HealthCheck is { } check)
        {
            ValidateHealthCheck(prefix + "/health_check", check, errors);
        }
    }

    private static void ValidateHealthCheck(string prefix, HealthCheck check, FieldErrors errors)
    {
        switch (check.Type)
        {
            case "HTTP":
                if (check.Http is null || check.Http.Port is < 1 or > 65535)
                {
                    errors.Add(prefix + "/http/port", "HTTP checks need a port between 1 and 65535");
                }
                else if (!string.Equals(check.Http.Scheme, "http", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(prefix + "/http/scheme", "only http is supported");
                }

                break;
            case "TCP":
                if (check.Tcp is null || check.Tcp.Port is < 1 or > 65535)
                {
                    errors.Add(prefix + "/tcp/port", "TCP checks need a port between 1 and 65535");
                }

                break;
            case "COMMAND":
                if (string.IsNullOrEmpty(check.Command?.Value))
                {
                    errors.Add(prefix + "/command/value", "COMMAND checks need a command");
                }

                break;
            default:
                errors.Add(prefix + "/type", $"'{check.Type}' is not HTTP, TCP or COMMAND");
                break;
        }

        if (check.IntervalSeconds <= 0)
        {
            errors.Add(prefix + "/interval_seconds", "must be greater than 0");
        }

        if (check.TimeoutSeconds <= 0)
        {
            errors.Add(prefix + "/timeout_seconds", "must be greater than 0");
        }

        if (check.GracePeriodSeconds < 0 || check.DelaySeconds < 0)
        {
            errors.Add(prefix + "/grace_period_seconds", "grace and delay must not be negative");
        }

        if (check.ConsecutiveFailures < 0)
        {
            errors.Add(prefix + "/consecutive_failures", "must not be negative");
        }
    }

    /// <summary>A custom executor: an id that can name its sandbox directory and a command to start it.</summary>
    private static void ValidateExecutor(string prefix, ExecutorInfo executor, FieldErrors errors)
    {
        errors.Require(prefix + "/executor_id", executor.ExecutorId);
        if (executor.ExecutorId is { } id && (id.Contains('/', StringComparison.Ordinal) || id is "." or ".." || id.Any(char.IsControl) || id.Length > 200))
        {
            errors.Add(prefix + "/executor_id", "must be at most 200 characters without '/' or control characters, and not '.' or '..' (it names the sandbox directory)");
        }

        if (executor.Command is null)
        {
            errors.Add(prefix + "/command", "is required");
        }
        else if (string.IsNullOrEmpty(executor.Command.Value) && (!executor.Command.Shell ? (executor.Command.Arguments ?? []).Count == 0 : true))
        {
            errors.Add(prefix + "/command/value", "is required: it starts the executor");
        }
    }

    private static void ValidateResources(string prefix, ResourceSet resources, FieldErrors errors)
    {
        Check(prefix + "/cpus", resources.Cpus);
        Check(prefix + "/mem", resources.Mem);
        Check(prefix + "/disk", resources.Disk);
        Check(prefix + "/gpus", resources.Gpus);
        var ports = resources.Ports ?? [];
        for (int i = 0; i < ports.Count; i++)
        {
            var range = ports[i];
            if (range is null || range.Begin is < 1 or > 65535 || range.End is < 1 or > 65535 || range.Begin > range.End)
            {
                errors.Add($"{prefix}/ports/{i}", "must be a range begin <= end within 1-65535");
            }
            else if (i > 0 && ports[i - 1] is { } previous && range.Begin <= previous.End)
            {
                errors.Add($"{prefix}/ports/{i}", "ranges must be sorted and must not overlap");
            }
        }

        void Check(string path, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
            {
                errors.Add(path, "must be a finite number >= 0");
            }
        }
    }

    /// <summary>Errors grouped by path, in the order first seen.</summary>
    private sealed class FieldErrors
    {
        private readonly List<(string Path, List<string> Errors)> _items = [];

        public void Add(string path, string error)
        {
            foreach (var item in _items)
            {
                if (item.Path == path)
                {
                    item.Errors.Add(error);
                    return;
                }
            }

            _items.Add((path, [error]));
        }

        public void Require(string path, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(path, "is required");
            }
        }

        public List<FieldError> ToList() => _items.Select(i => new FieldError(i.Path, i.Errors)).ToList();
    }
}
