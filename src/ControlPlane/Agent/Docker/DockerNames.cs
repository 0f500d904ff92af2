using System.Security.Cryptography;
using System.Text;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// How the agent names and labels its containers: <c>mesos-&lt;task id&gt;</c> (characters Docker refuses in names
/// become '_', and then a hash of the real id keeps names unique), with labels that identify the task for
/// re-adoption after an agent restart.
/// </summary>
internal static class DockerNames
{
    public const string TaskIdLabel = "minuet.task_id";
    public const string FrameworkIdLabel = "minuet.framework_id";
    public const string AgentIdLabel = "minuet.agent_id";
    public const string ContainerIdLabel = "minuet.container_id";

    /// <summary>Marathon passes this label too; Mesos tools look for it.</summary>
    public const string MesosTaskIdLabel = "MESOS_TASK_ID";

    /// <summary>Where the task's sandbox is mounted inside the container (Mesos's <c>--sandbox_directory</c>).</summary>
    public const string SandboxMount = "/mnt/mesos/sandbox";

    public static string ContainerName(string taskId)
    {
        var builder = new StringBuilder("mesos-", taskId.Length + 16);
        bool changed = false;
        foreach (char c in taskId)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
            builder.Append(ok ? c : '_');
            changed |= !ok;
        }

        if (changed)
        {
            builder.Append('-').Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(taskId)))[..12]);
        }

        return builder.ToString();
    }
}
