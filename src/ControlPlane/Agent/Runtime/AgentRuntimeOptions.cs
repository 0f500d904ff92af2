using Minuet.ControlPlane.Agent.Network;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>How the task runtime runs tasks on this machine.</summary>
internal sealed record AgentRuntimeOptions
{
    public required string WorkDir { get; init; }

    /// <summary>HOST for tasks (Mesos gives the agent's hostname).</summary>
    public required string Hostname { get; init; }

    /// <summary>The agent's IP literal: the address reported for host-network tasks.</summary>
    public required string Address { get; init; }

    /// <summary>cgroup v1 mount root; null disables cgroups.</summary>
    public string? CgroupRoot { get; init; } = "/sys/fs/cgroup";

    /// <summary>Directory under each controller that holds the task cgroups.</summary>
    public string CgroupParent { get; init; } = "minuet";

    /// <summary>SIGTERM → SIGKILL wait when neither the launch nor the kill gives one (Mesos's default is 3 s).</summary>
    public TimeSpan DefaultKillGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often re-adopted processes (not our children) are checked for exit.</summary>
    public TimeSpan AdoptedPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan StatusRetryInitial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan StatusRetryMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Null: no task network; launches asking for one fail with REASON_CONTAINER_LAUNCH_FAILED.</summary>
    public TaskNetworkOptions? TaskNetwork { get; init; }

    /// <summary>Null: no Docker containerizer (launches of Docker containers fail).</summary>
    public Docker.DockerOptions? Docker { get; init; }

    /// <summary>False when <c>--containerizers</c> leaves out <c>mesos</c>: process (command) tasks are refused.</summary>
    public bool MesosContainerizer { get; init; } = true;
    /// <summary>How long a custom executor may take to subscribe before it is killed (Mesos's <c>--executor_registration_timeout</c>, 1 min).</summary>
    public TimeSpan ExecutorRegistrationTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an executor that outlived an agent restart may take to subscribe again before it is killed and its tasks
    /// fail (Mesos's <c>--executor_reregistration_timeout</c>). Mesos's 2 s is raised to 10 s here: the clock starts when
    /// recovery ends, and executors written as scripts poll the agent rather than hold a connection attempt open.
    /// </summary>
    public TimeSpan ExecutorReregistrationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The agent's own <c>minuet</c>, handed to command tasks as <c>MINUET_BIN</c> (null: not handed).</summary>
    public string? MinuetBinary { get; init; } = Tasks.MinuetBinary.Find();

    /// <summary>PATH handed to tasks.</summary>
    public string? TaskPath { get; init; } = Environment.GetEnvironmentVariable("PATH");
}
