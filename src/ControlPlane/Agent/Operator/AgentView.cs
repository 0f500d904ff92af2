using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Operator;

/// <summary>What the agent's state documents say about the agent itself (fixed once it listens).</summary>
internal sealed record AgentDescription
{
    public required string Hostname { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    public required AgentResources Resources { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public required Uri Master { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public string Pid => $"slave(1)@{Minuet.ControlPlane.Master.MasterOptions.FormatHost(Address)}:{Port}";
}

/// <summary>One task as the agent's state shows it: its launch, latest status, container and sandbox.</summary>
internal sealed record AgentTaskView(LaunchTaskRequest Launch, TaskStatusUpdate? Status, string ContainerId, string? Directory, bool Queued)
{
    public string State => Status?.State ?? "TASK_STAGING";

    public bool Terminal => Status?.ParsedState is { } s && Minuet.ControlPlane.Master.TaskStates.IsTerminal(s);
}

/// <summary>A custom executor run as the agent's state shows it.</summary>
internal sealed record AgentExecutorView(ExecutorInfo Info, string FrameworkId, string? FrameworkName, string ContainerId, string Directory, bool Live);
