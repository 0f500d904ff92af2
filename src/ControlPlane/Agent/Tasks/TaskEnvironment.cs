using System.Globalization;
using System.Text;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// Builds a task's environment as Mesos and Marathon do: PORT0..n, PORTS, PORT (= PORT0), PORT_&lt;NAME&gt; for
/// named discovery ports, HOST, MESOS_TASK_ID, MESOS_SANDBOX, MESOS_FRAMEWORK_ID, MESOS_AGENT_ID, plus PATH from
/// the agent. The task's own environment overrides everything except the MESOS_* variables the agent owns.
/// </summary>
internal static class TaskEnvironment
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static Dictionary<string, string> Build(LaunchTaskRequest launch, string host, string sandbox, string? path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.IsNullOrEmpty(path) ? DefaultPath : path,
            ["HOST"] = host,
        };

        var ports = launch.Resources.EnumeratePorts().ToList();
        for (int i = 0; i < ports.Count; i++)
        {
            env["PORT" + i.ToString(CultureInfo.InvariantCulture)] = ports[i].ToString(CultureInfo.InvariantCulture);
        }

        if (ports.Count > 0)
        {
            env["PORT"] = ports[0].ToString(CultureInfo.InvariantCulture);
            env["PORTS"] = string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var port in launch.Discovery?.Ports?.Ports ?? [])
        {
            if (!string.IsNullOrEmpty(port.Name) && port.Number > 0)
            {
                env["PORT_" + EnvName(port.Name)] = port.Number.ToString(CultureInfo.InvariantCulture);
            }
        }

        foreach (var (name, value) in launch.Command.Environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        env["MESOS_TASK_ID"] = launch.TaskId;
        env["MESOS_SANDBOX"] = sandbox;
        env["MESOS_FRAMEWORK_ID"] = launch.FrameworkId;
        env["MESOS_AGENT_ID"] = launch.AgentId;
        return env;
    }

    /// <summary>The argv a task runs: <c>/bin/sh -c value</c> for shell commands, else Mesos's argv (arguments[0] is argv0).</summary>
    public static IReadOnlyList<string> CommandArgv(CommandInfo command)
    {
        if (command.Shell)
        {
            return ["/bin/sh", "-c", command.Value ?? string.Empty];
        }

        var arguments = command.Arguments ?? [];
        if (arguments.Count == 0)
        {
            return [command.Value!];
        }

        // Mesos runs `value` with argv = arguments; argv0 cannot differ from the program through a shell, so the
        // program (value, or arguments[0]) stands in for argv0.
        var argv = new List<string> { string.IsNullOrEmpty(command.Value) ? arguments[0] : command.Value };
        argv.AddRange(arguments.Skip(1));
        return argv;
    }

    /// <summary>Marathon's rule for PORT_&lt;NAME&gt;: upper case, anything but letters and digits becomes '_'.</summary>
    private static string EnvName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return builder.ToString();
    }
}
