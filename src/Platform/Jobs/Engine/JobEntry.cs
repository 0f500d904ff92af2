using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Schedules;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>One job in memory: its spec, its status record, its schedules' occurrence calculators and its active runs.</summary>
internal sealed class JobEntry(JobSpec spec, JobStatus status)
{
    public JobSpec Spec { get; set; } = spec;

    public JobStatus Status { get; } = status;

    public Dictionary<string, IScheduleTimes?> Times { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs not yet finished, oldest first.</summary>
    public List<JobRun> Active { get; } = [];
}
