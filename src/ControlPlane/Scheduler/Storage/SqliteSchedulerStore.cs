using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>
/// The scheduler's embedded store: <c>scheduler.db</c> in <c>--state-dir</c>, one JSON row per record in
/// <see cref="SqliteJsonRows"/> (WAL, each write its own transaction unless a batch is open).
/// </summary>
internal sealed class SqliteSchedulerStore : ISchedulerStore
{
    public const string FileName = "scheduler.db";

    private readonly SqliteJsonRows _rows;

    private SqliteSchedulerStore(SqliteJsonRows rows) => _rows = rows;

    public static SqliteSchedulerStore Open(string stateDir) => new(SqliteJsonRows.Open(Path.Combine(stateDir, FileName), """
        CREATE TABLE IF NOT EXISTS meta (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS apps (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS app_versions (id TEXT PRIMARY KEY, app TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS app_versions_app ON app_versions (app);
        CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS deployments (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        """));

    public SchedulerStoreSnapshot Load() => _rows.Read(db => new SchedulerStoreSnapshot
    {
        Meta = db.Rows("meta").ToDictionary(r => r.Id, r => r.Json, StringComparer.Ordinal),
        Apps = db.Rows("apps").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredApp)).ToList(),
        AppVersions = db.Rows("app_versions").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredAppVersion)).ToList(),
        Tasks = db.Rows("tasks").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredTask)).ToList(),
        Deployments = db.Rows("deployments").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.DeploymentPlan)).ToList(),
        Groups = db.Rows("groups").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredGroup)).ToList(),
    });

    public void Begin() => _rows.Begin();

    public void Commit() => _rows.Commit();

    public void Rollback() => _rows.Rollback();

    public void PutMeta(string key, string value) => _rows.Put("meta", key, value);

    public void PutApp(StoredApp app) => _rows.Put("apps", app.Id, JsonSerializer.Serialize(app, SchedulerStoreJsonContext.Default.StoredApp));

    public void RemoveApp(string id) => _rows.Remove("apps", id);

    public void PutAppVersion(StoredAppVersion version) =>
        _rows.Write("INSERT INTO app_versions (id, app, json) VALUES ($a, $c, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            VersionKey(version.AppId, version.Version), JsonSerializer.Serialize(version, SchedulerStoreJsonContext.Default.StoredAppVersion), version.AppId);

    public void RemoveAppVersion(string appId, DateTimeOffset version) => _rows.Remove("app_versions", VersionKey(appId, version));

    public void RemoveAppVersions(string appId) => _rows.Write("DELETE FROM app_versions WHERE app = $a", appId);

    public void PutTask(StoredTask task) => _rows.Put("tasks", task.Id, JsonSerializer.Serialize(task, SchedulerStoreJsonContext.Default.StoredTask));

    public void RemoveTask(string id) => _rows.Remove("tasks", id);

    public void PutDeployment(DeploymentPlan plan) => _rows.Put("deployments", plan.Id, JsonSerializer.Serialize(plan, SchedulerStoreJsonContext.Default.DeploymentPlan));

    public void RemoveDeployment(string id) => _rows.Remove("deployments", id);

    public void PutGroup(StoredGroup group) => _rows.Put("groups", group.Id, JsonSerializer.Serialize(group, SchedulerStoreJsonContext.Default.StoredGroup));

    public void RemoveGroup(string id) => _rows.Remove("groups", id);

    public void Dispose() => _rows.Dispose();

    private static T Read<T>(string json, JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(json, info) ?? throw new InvalidDataException($"stored row is null: {json}");

    private static string VersionKey(string appId, DateTimeOffset version) =>
        appId + "@" + version.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
