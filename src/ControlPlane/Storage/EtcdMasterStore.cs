using System.Text.Json;
using Etcdserverpb;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Storage;

/// <summary>
/// The master's store on etcd (<c>--store etcd</c>): one key per record under <c>/minuet/master/state/</c>, the same
/// JSON as <see cref="SqliteMasterStore"/>. Every write is a txn fenced by the leader key (see <see cref="EtcdKv"/>),
/// so only the current leading master's writes land; a launch of more tasks than one txn takes is staged and
/// committed whole (<see cref="EtcdStagedBatch"/>); <see cref="Load"/> first finishes a launch a dead leader
/// committed, then reads one consistent cut.
/// </summary>
internal sealed class EtcdMasterStore(EtcdKv kv) : IMasterStore
{
    public const string Prefix = "/minuet/master/state/";
    public const string Staging = "/minuet/master/staged/";
    private const string Meta = Prefix + "meta/";
    private const string Agents = Prefix + "agents/";
    private const string Frameworks = Prefix + "frameworks/";
    private const string Tasks = Prefix + "tasks/";
    private const string Reservations = Prefix + "reservations/";

    private readonly EtcdStagedBatch _staged = new(kv, Staging);

    public MasterStoreSnapshot Load()
    {
        _staged.Finish();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var agents = new List<StoredAgent>();
        var frameworks = new List<StoredFramework>();
        var decoding = new List<Task<StoredTask[]>>();
        var reservations = new List<StoredReservation>();
        foreach (var page in kv.ReadPrefixPages(Prefix))
        {
            // A page's tasks decode on other threads while the next page is read.
            var taskRows = page.Where(row => row.Key.StartsWith(Tasks, StringComparison.Ordinal)).ToList();
            if (taskRows.Count > 0)
            {
                decoding.Add(Task.Run(() => DecodeTasks(taskRows)));
            }

            foreach (var row in page)
            {
                var (key, value) = row;
                if (key.StartsWith(Meta, StringComparison.Ordinal))
                {
                    meta[key[Meta.Length..]] = value.ToStringUtf8();
                }
                else if (key.StartsWith(Agents, StringComparison.Ordinal))
                {
                    agents.Add(Read(value, StoreJsonContext.Default.StoredAgent, key));
                }
                else if (key.StartsWith(Frameworks, StringComparison.Ordinal))
                {
                    frameworks.Add(Read(value, StoreJsonContext.Default.StoredFramework, key));
                }
                else if (key.StartsWith(Reservations, StringComparison.Ordinal))
                {
                    // Agent ids hold no '/', roles may ("a/b"): split at the first one.
                    var rest = key[Reservations.Length..];
                    int slash = rest.IndexOf('/', StringComparison.Ordinal);
                    if (slash > 0)
                    {
                        reservations.Add(new StoredReservation(rest[..slash], rest[(slash + 1)..], Read(value, StoreJsonContext.Default.ResourceSet, key)));
                    }
                }
            }
        }

        return new MasterStoreSnapshot { Meta = meta, Agents = agents, Frameworks = frameworks, Tasks = Decoded(decoding), Reservations = reservations };
    }

    public void PutMeta(string key, string value) => _staged.Write(EtcdKv.Put(Meta + key, value));

    public void PutAgent(StoredAgent agent) =>
        _staged.Write(EtcdKv.Put(Agents + agent.Id, JsonSerializer.Serialize(agent, StoreJsonContext.Default.StoredAgent)));

    public void RemoveAgent(string agentId) => _staged.Write(EtcdKv.Delete(Agents + agentId));

    public void PutFramework(StoredFramework framework) =>
        _staged.Write(EtcdKv.Put(Frameworks + framework.Id, JsonSerializer.Serialize(framework, StoreJsonContext.Default.StoredFramework)));

    public void RemoveFramework(string frameworkId) => _staged.Write(EtcdKv.Delete(Frameworks + frameworkId));

    public void PutTask(StoredTask task) => _staged.Write(TaskPut(task));

    // All or none is the contract: past one txn's worth, the launch is staged and committed by one marker write.
    public void PutTasks(IReadOnlyList<StoredTask> tasks) => _staged.Write(tasks.Select(TaskPut).ToList());

    public void RemoveTask(string taskId) => _staged.Write(EtcdKv.Delete(Tasks + taskId));

    public void PutReservation(string agentId, string role, ResourceSet? resources)
    {
        var key = $"{Reservations}{agentId}/{role}";
        _staged.Write(resources is null || (resources.Cpus <= 0 && resources.Mem <= 0 && resources.Disk <= 0 && resources.Ports.Count == 0)
            ? EtcdKv.Delete(key)
            : EtcdKv.Put(key, JsonSerializer.Serialize(resources, StoreJsonContext.Default.ResourceSet)));
    }

    public void Dispose()
    {
        // The connection belongs to whoever opened it (the host shares it with the election).
    }

    private static RequestOp TaskPut(StoredTask task) =>
        EtcdKv.Put(Tasks + task.Launch.TaskId, JsonSerializer.Serialize(task, StoreJsonContext.Default.StoredTask));

    /// <summary>
    /// Tasks are nearly all of a big state (100,000 records at scale) and a new leader waits for them: decoded on every
    /// core, in key order (the order completed tasks are listed in), the first bad record failing the whole load.
    /// </summary>
    private static StoredTask[] DecodeTasks(List<KeyValuePair<string, Google.Protobuf.ByteString>> rows)
    {
        var tasks = new StoredTask[rows.Count];
        const int Chunk = 512;
        try
        {
            Parallel.For(0, (rows.Count + Chunk - 1) / Chunk, chunk =>
            {
                for (int i = chunk * Chunk, end = Math.Min(rows.Count, i + Chunk); i < end; i++)
                {
                    tasks[i] = Read(rows[i].Value, StoreJsonContext.Default.StoredTask, rows[i].Key);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is InvalidDataException or JsonException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        return tasks;
    }

    /// <summary>Every page's tasks in key order; the first bad record fails the whole load with its own error.</summary>
    private static StoredTask[] Decoded(List<Task<StoredTask[]>> decoding)
    {
        try
        {
            Task.WaitAll(decoding);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is InvalidDataException or JsonException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        return decoding.Count == 1 ? decoding[0].Result : decoding.SelectMany(t => t.Result).ToArray();
    }

    private static T Read<T>(Google.Protobuf.ByteString value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, string key) =>
        JsonSerializer.Deserialize(value.Span, info) ?? throw new InvalidDataException($"stored record {key} is null");
}
