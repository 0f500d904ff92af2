using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>The Mesos task of one attempt of a run.</summary>
internal static class RunTasks
{
    public static TaskSpec Build(JobSpec job, JobRun run, RunTask task)
    {
        var spec = job.Run;
        var env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal)
        {
            ["METRONOME_JOB_ID"] = job.Id,
            ["METRONOME_JOB_RUN_ID"] = run.Id,
        };
        bool shell = !string.IsNullOrWhiteSpace(spec.Cmd);
        return new TaskSpec
        {
            TaskId = task.Id,

            // The task name gives its DNS name (<name>.metronome.mesos): dots would split it into labels.
            Name = job.Id.Replace('.', '-').Replace('_', '-'),
            Command = new TaskCommand
            {
                Shell = shell || spec.DockerImage is not null && spec.Args.Count == 0,
                Value = shell ? spec.Cmd : spec.Args.Count > 0 ? spec.Args[0] : null,
                Arguments = shell ? [] : spec.Args,
                Environment = env,
            },
            Resources = new ResourceSet { Cpus = spec.Cpus, Mem = spec.Mem, Disk = spec.Disk },
            Labels = [new Label("metronome.jobId", job.Id), new Label("metronome.runId", run.Id)],
            Container = spec.DockerImage is { } image ? new ContainerInfo { Type = "DOCKER", Docker = new DockerInfo { Image = image } } : null,
        };
    }
}
