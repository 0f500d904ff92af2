using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Etcdserverpb;
using Minuet.ControlPlane.Coordination;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>
/// The jobs service's store on etcd (<c>minuet jobs --store etcd</c>): one key per record under
/// <c>/minuet/jobs/state/</c>, the JSON of <see cref="SqliteJobStore"/>. Built from the scheduler's blocks: every write
/// is fenced by the <c>/minuet/metronome/leader</c> key (<see cref="EtcdKv"/>), so a deposed leader stores nothing and
/// (the core releases master calls only after a write) launches nothing; a <see cref="Begin"/>…<see cref="Commit"/>
/// batch lands whole, past etcd's <c>--max-txn-ops</c> through <see cref="EtcdStagedBatch"/>.
/// </summary>
internal sealed class EtcdJobStore(EtcdKv kv) : IJobStore
{
    public const string Prefix = "/minuet/jobs/state/";
    public const string Staging = "/minuet/jobs/staged/";
    private const string Meta = Prefix + "meta/";
    private const string Jobs = Prefix + "jobs/";
    private const string Statuses = Prefix + "status/";
    private const string Runs = Prefix + "runs/";

    private readonly EtcdWriteBatch _writes = new(kv, Staging);

    public JobStoreSnapshot Load()
    {
        _writes.Finish();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var jobs = new List<JobSpec>();
        var statuses = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
        var runs = new List<JobRun>();
        foreach (var (key, value) in kv.ReadPrefix(Prefix))
        {
            if (key.StartsWith(Meta, StringComparison.Ordinal))
            {
                meta[key[Meta.Length..]] = value.ToStringUtf8();
            }
            else if (key.StartsWith(Jobs, StringComparison.Ordinal))
            {
                jobs.Add(Read(value, JobStoreJsonContext.Default.JobSpec, key));
            }
            else if (key.StartsWith(Statuses, StringComparison.Ordinal))
            {
                statuses[key[Statuses.Length..]] = Read(value, JobStoreJsonContext.Default.JobStatus, key);
            }
            else if (key.StartsWith(Runs, StringComparison.Ordinal))
            {
                runs.Add(Read(value, JobStoreJsonContext.Default.JobRun, key));
            }
        }

        return new JobStoreSnapshot(meta, jobs, statuses, runs);
    }

    public void Begin() => _writes.Begin();

    public void Commit() => _writes.Commit();

    public void Rollback() => _writes.Rollback();

    public void PutMeta(string key, string value) => Apply(EtcdKv.Put(Meta + key, value));

    public void PutJob(JobSpec job) => Apply(EtcdKv.Put(Jobs + job.Id, JsonSerializer.Serialize(job, JobStoreJsonContext.Default.JobSpec)));

    public void RemoveJob(string id)
    {
        Apply(EtcdKv.Delete(Jobs + id));
        Apply(EtcdKv.Delete(Statuses + id));
    }

    public void PutStatus(string jobId, JobStatus status) => Apply(EtcdKv.Put(Statuses + jobId, JsonSerializer.Serialize(status, JobStoreJsonContext.Default.JobStatus)));

    public void PutRun(JobRun run) => Apply(EtcdKv.Put(Runs + run.Id, JsonSerializer.Serialize(run, JobStoreJsonContext.Default.JobRun)));

    public void RemoveRun(string id) => Apply(EtcdKv.Delete(Runs + id));

    public void Dispose()
    {
        // The connection belongs to the HA host (shared with the election).
    }

    private static T Read<T>(Google.Protobuf.ByteString value, JsonTypeInfo<T> info, string key) =>
        JsonSerializer.Deserialize(value.Span, info) ?? throw new InvalidDataException($"stored record {key} is null");

    private void Apply(RequestOp op) => _writes.Apply(op);
}
