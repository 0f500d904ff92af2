using System.Text.Json;
using Etcdserverpb;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Storage;

/// <summary>
/// The master's store on etcd (<c>--store etcd</c>): one key per record under <c>/minuet/master/state/</c>, the same
/// JSON as <see cref="SqliteMasterStore"/>. Every write is a txn fenced by the leader key (see <see cref="EtcdKv"/>),
/// so only the current leading master's writes land; <see cref="Load"/> reads one consistent cut.
/// </summary>
internal sealed class EtcdMasterStore(EtcdKv kv) : IMasterStore
{
    public const string Prefix = "/minuet/master/state/";
    private const string Meta = Prefix + "meta/";
    private const string Agents = Prefix + "agents/";
    private const string Frameworks = Prefix + "frameworks/";
    private const string Tasks = Prefix + "tasks/";
    private const string Reservations = Prefix + "reservations/";

    public MasterStoreSnapshot Load()
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var agents = new List<StoredAgent>();
        var frameworks = new List<StoredFramework>();
        var tasks = new List<StoredTask>();
        var reservations = new List<StoredReservation>();
        foreach (var (key, value) in kv.ReadPrefix(Prefix))
        {
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
            else if (key.StartsWith(Tasks, StringComparison.Ordinal))
            {
                tasks.Add(Read(value, StoreJsonContext.Default.StoredTask, key));
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

        return new MasterStoreSnapshot { Meta = meta, Agents = agents, Frameworks = frameworks, Tasks = tasks, Reservations = reservations };
    }

    public void PutMeta(string key, string value) => kv.Write(EtcdKv.Put(Meta + key, value));

    public void PutAgent(StoredAgent agent) =>
        kv.Write(EtcdKv.Put(Agents + agent.Id, JsonSerializer.Serialize(agent, StoreJsonContext.Default.StoredAgent)));

    public void RemoveAgent(string agentId) => kv.Write(EtcdKv.Delete(Agents + agentId));

    public void PutFramework(StoredFramework framework) =>
        kv.Write(EtcdKv.Put(Frameworks + framework.Id, JsonSerializer.Serialize(framework, StoreJsonContext.Default.StoredFramework)));

    public void RemoveFramework(string frameworkId) => kv.Write(EtcdKv.Delete(Frameworks + frameworkId));

    public void PutTask(StoredTask task) => kv.Write(TaskPut(task));

    public void PutTasks(IReadOnlyList<StoredTask> tasks)
    {
        if (tasks.Count > kv.MaxTxnOps)
        {
            // All or none is the contract: a launch batch larger than one txn is refused rather than split.
            throw new EtcdStoreException($"a launch of {tasks.Count} tasks exceeds etcd's {kv.MaxTxnOps} operations per transaction");
        }

        kv.Write(tasks.Select(TaskPut).ToList());
    }

    public void RemoveTask(string taskId) => kv.Write(EtcdKv.Delete(Tasks + taskId));

    public void PutReservation(string agentId, string role, ResourceSet? resources)
    {
        var key = $"{Reservations}{agentId}/{role}";
        kv.Write(resources is null || (resources.Cpus <= 0 && resources.Mem <= 0 && resources.Disk <= 0 && resources.Ports.Count == 0)
            ? EtcdKv.Delete(key)
            : EtcdKv.Put(key, JsonSerializer.Serialize(resources, StoreJsonContext.Default.ResourceSet)));
    }

    public void Dispose()
    {
        // The connection belongs to whoever opened it (the host shares it with the election).
    }

    private static RequestOp TaskPut(StoredTask task) =>
        EtcdKv.Put(Tasks + task.Launch.TaskId, JsonSerializer.Serialize(task, StoreJsonContext.Default.StoredTask));

    private static T Read<T>(Google.Protobuf.ByteString value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, string key) =>
        JsonSerializer.Deserialize(value.Span, info) ?? throw new InvalidDataException($"stored record {key} is null");
}
