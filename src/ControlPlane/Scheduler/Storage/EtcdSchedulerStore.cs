using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Etcdserverpb;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>
/// The scheduler's store on etcd (<c>--store etcd</c>): one key per record under <c>/minuet/marathon/state/</c>,
/// the JSON of <see cref="SqliteSchedulerStore"/>. Writes are fenced by the scheduler leader key; a
/// <see cref="Begin"/>…<see cref="Commit"/> batch lands whole or not at all: one txn, or past etcd's
/// <c>--max-txn-ops</c> a batch staged under <c>/minuet/marathon/staged/</c> and committed by one marker write
/// (<see cref="EtcdStagedBatch"/>); <see cref="Load"/> first finishes a batch a dead leader committed, then reads one
/// consistent cut.
/// </summary>
internal sealed class EtcdSchedulerStore(EtcdKv kv) : ISchedulerStore
{
    public const string Prefix = "/minuet/marathon/state/";
    public const string Staging = "/minuet/marathon/staged/";
    private const string Meta = Prefix + "meta/";
    private const string Apps = Prefix + "apps/";
    private const string Versions = Prefix + "app_versions/";
    private const string Tasks = Prefix + "tasks/";
    private const string Deployments = Prefix + "deployments/";
    private const string Groups = Prefix + "groups/";

    private readonly EtcdWriteBatch _writes = new(kv, Staging);

    public SchedulerStoreSnapshot Load()
    {
        _writes.Finish();
        var snapshot = new SchedulerStoreSnapshot();
        foreach (var (key, value) in kv.ReadPrefix(Prefix))
        {
            if (key.StartsWith(Meta, StringComparison.Ordinal))
            {
                snapshot.Meta[key[Meta.Length..]] = value.ToStringUtf8();
            }
            else if (key.StartsWith(Apps, StringComparison.Ordinal))
            {
                snapshot.Apps.Add(Read(value, SchedulerStoreJsonContext.Default.StoredApp, key));
            }
            else if (key.StartsWith(Versions, StringComparison.Ordinal))
            {
                snapshot.AppVersions.Add(Read(value, SchedulerStoreJsonContext.Default.StoredAppVersion, key));
            }
            else if (key.StartsWith(Tasks, StringComparison.Ordinal))
            {
                snapshot.Tasks.Add(Read(value, SchedulerStoreJsonContext.Default.StoredTask, key));
            }
            else if (key.StartsWith(Deployments, StringComparison.Ordinal))
            {
                snapshot.Deployments.Add(Read(value, SchedulerStoreJsonContext.Default.DeploymentPlan, key));
            }
            else if (key.StartsWith(Groups, StringComparison.Ordinal))
            {
                snapshot.Groups.Add(Read(value, SchedulerStoreJsonContext.Default.StoredGroup, key));
            }
        }

        return snapshot;
    }

    public void Begin() => _writes.Begin();

    public void Commit() => _writes.Commit();

    public void Rollback() => _writes.Rollback();

    public void PutMeta(string key, string value) => Apply(EtcdKv.Put(Meta + key, value));

    public void PutApp(StoredApp app) => Apply(EtcdKv.Put(Apps + app.Id, JsonSerializer.Serialize(app, SchedulerStoreJsonContext.Default.StoredApp)));

    public void RemoveApp(string id) => Apply(EtcdKv.Delete(Apps + id));

    public void PutAppVersion(StoredAppVersion version) =>
        Apply(EtcdKv.Put(VersionKey(version.AppId, version.Version), JsonSerializer.Serialize(version, SchedulerStoreJsonContext.Default.StoredAppVersion)));

    public void RemoveAppVersion(string appId, DateTimeOffset version) => Apply(EtcdKv.Delete(VersionKey(appId, version)));

    // '#' cannot occur in a Marathon app id, so "/a#" never covers the versions of "/a/b" or "/ab".
    public void RemoveAppVersions(string appId) => Apply(EtcdKv.DeletePrefix(Versions + appId + "#"));

    public void PutTask(StoredTask task) => Apply(EtcdKv.Put(Tasks + task.Id, JsonSerializer.Serialize(task, SchedulerStoreJsonContext.Default.StoredTask)));

    public void RemoveTask(string id) => Apply(EtcdKv.Delete(Tasks + id));

    public void PutDeployment(DeploymentPlan plan) =>
        Apply(EtcdKv.Put(Deployments + plan.Id, JsonSerializer.Serialize(plan, SchedulerStoreJsonContext.Default.DeploymentPlan)));

    public void RemoveDeployment(string id) => Apply(EtcdKv.Delete(Deployments + id));

    public void PutGroup(StoredGroup group) => Apply(EtcdKv.Put(Groups + group.Id, JsonSerializer.Serialize(group, SchedulerStoreJsonContext.Default.StoredGroup)));

    public void RemoveGroup(string id) => Apply(EtcdKv.Delete(Groups + id));

    public void Dispose()
    {
        // The connection belongs to the host (shared with the election).
    }

    private static string VersionKey(string appId, DateTimeOffset version) =>
        Versions + appId + "#" + version.UtcTicks.ToString("D20", CultureInfo.InvariantCulture);

    private static T Read<T>(Google.Protobuf.ByteString value, JsonTypeInfo<T> info, string key) =>
        JsonSerializer.Deserialize(value.Span, info) ?? throw new InvalidDataException($"stored record {key} is null");

    private void Apply(RequestOp op) => _writes.Apply(op);
}
