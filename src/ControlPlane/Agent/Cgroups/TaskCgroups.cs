namespace Minuet.ControlPlane.Agent.Cgroups;

/// <summary>The cgroup v1 directories of one task (empty when the hierarchy is unavailable).</summary>
internal sealed record TaskCgroups(string? CpuDir, string? MemoryDir)
{
    public static TaskCgroups None { get; } = new(null, null);

    public IEnumerable<string> Dirs => new[] { CpuDir, MemoryDir }.OfType<string>();

    /// <summary>The <c>cgroup.procs</c> files the task wrapper joins before running the command.</summary>
    public IReadOnlyList<string> ProcsFiles => Dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToList();
}
