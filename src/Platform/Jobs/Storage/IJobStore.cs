using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>Everything stored, as loaded at start.</summary>
internal sealed record JobStoreSnapshot(
    IReadOnlyDictionary<string, string> Meta,
    IReadOnlyList<JobSpec> Jobs,
    IReadOnlyDictionary<string, JobStatus> Statuses,
    IReadOnlyList<JobRun> Runs);

/// <summary>
/// The jobs service's durable state. Writes between <see cref="Begin"/> and <see cref="Commit"/> land together: a
/// run's end, its history, and its children's edge counts and new runs are one transaction.
/// </summary>
internal interface IJobStore : IDisposable
{
    JobStoreSnapshot Load();

    void Begin();

    void Commit();

    void Rollback();

    void PutMeta(string key, string value);

    void PutJob(JobSpec job);

    void RemoveJob(string id);

    void PutStatus(string jobId, JobStatus status);

    void PutRun(JobRun run);

    void RemoveRun(string id);
}
