using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master.State;

public class MasterStateWriterTests
{
    // Build metadata we do not have, and the framework pid we deliberately leave out (HTTP frameworks have none, and
    // Mesos-DNS rejects a document whose pid does not parse). DiscoveryInfo's version/location/environment are
    // optional proto fields Marathon never sets.
    private static readonly HashSet<string> Omitted =
    [
        "/build_date", "/build_time", "/build_user", "/git_sha", "/git_tag", "/log_dir",
        "/frameworks/pid", "/frameworks/tasks/discovery/version", "/frameworks/tasks/discovery/location",
        "/frameworks/tasks/discovery/environment",
    ];

    private static JsonDocument Render(MasterCore core) => JsonDocument.Parse(core.Read(MasterStateWriter.Render));

    private static TestMaster ClusterWithTask()
    {
        var m = new TestMaster();
        var (agent, framework, _) = m.RunningTask();
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Running, healthy: true) with
        {
            Labels = [new Label("foo", "bar")],
        });
        return m;
    }

    [Fact]
    public void Render_MatchesStateFakeJsonStructureFieldByField()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Master", "State", "Fixtures", "state-fake.json")));
        using var ours = Render(ClusterWithTask().Core);
        var problems = new List<string>();
        AssertShape(reference.RootElement, ours.RootElement, string.Empty, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Render_LeaderAndAgentPid_AreIpBased()
    {
        using var doc = Render(ClusterWithTask().Core);
        var root = doc.RootElement;
        Assert.Equal("master@10.0.0.1:5050", root.GetProperty("leader").GetString());
        Assert.Equal("master@10.0.0.1:5050", root.GetProperty("pid").GetString());
        var slave = root.GetProperty("slaves")[0];
        Assert.Equal("slave(1)@10.0.0.11:5051", slave.GetProperty("pid").GetString());
        Assert.Equal("[31000-32000]", slave.GetProperty("resources").GetProperty("ports").GetString());
        Assert.Equal("[31000-31000]", slave.GetProperty("used_resources").GetProperty("ports").GetString());
        Assert.Equal(3, slave.GetProperty("attributes").GetProperty("level").GetDouble());
        Assert.Equal("r1", slave.GetProperty("attributes").GetProperty("rack").GetString());
    }

    [Fact]
    public void Render_NoEmptyPidAnywhere()
    {
        using var doc = Render(ClusterWithTask().Core);
        var pids = new List<string?>();
        CollectPids(doc.RootElement, pids);
        Assert.NotEmpty(pids);
        Assert.All(pids, p => Assert.False(string.IsNullOrEmpty(p)));
        Assert.False(doc.RootElement.GetProperty("frameworks")[0].TryGetProperty("pid", out _));
    }

    [Fact]
    public void Render_Task_LabelsDiscoveryStatusesAsMesos()
    {
        using var doc = Render(ClusterWithTask().Core);
        var task = doc.RootElement.GetProperty("frameworks")[0].GetProperty("tasks")[0];
        Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
        Assert.Equal("[31000-31000]", task.GetProperty("resources").GetProperty("ports").GetString());
        Assert.Equal(0, task.GetProperty("resources").GetProperty("gpus").GetDouble());
        var label = task.GetProperty("labels")[0];
        Assert.Equal("HAPROXY_GROUP", label.GetProperty("key").GetString());
        Assert.Equal("external", label.GetProperty("value").GetString());
        var port = task.GetProperty("discovery").GetProperty("ports").GetProperty("ports")[0];
        Assert.Equal(31000, port.GetProperty("number").GetInt32());
        Assert.Equal("VIP_0", port.GetProperty("labels").GetProperty("labels")[0].GetProperty("key").GetString());
        Assert.Equal("/web:80", port.GetProperty("labels").GetProperty("labels")[0].GetProperty("value").GetString());
        var status = task.GetProperty("statuses")[1];
        Assert.True(status.GetProperty("healthy").GetBoolean());
        Assert.Equal("foo", status.GetProperty("labels")[0].GetProperty("key").GetString());
        var ip = status.GetProperty("container_status").GetProperty("network_infos")[0].GetProperty("ip_addresses")[0];
        Assert.Equal("10.0.0.11", ip.GetProperty("ip_address").GetString());
        Assert.Equal("IPv4", ip.GetProperty("protocol").GetString());
    }

    [Fact]
    public void Render_UnreachableAgent_LeavesSlavesAndTaskMovesToUnreachableTasks()
    {
        var m = ClusterWithTask();
        m.Time.Advance(TimeSpan.FromSeconds(80));
        m.Core.Tick(m.Time.Now);
        using var doc = Render(m.Core);
        var root = doc.RootElement;
        Assert.Equal(0, root.GetProperty("slaves").GetArrayLength());
        Assert.Equal(1, root.GetProperty("unreachable_slaves").GetInt32());
        var framework = root.GetProperty("frameworks")[0];
        Assert.Equal(0, framework.GetProperty("tasks").GetArrayLength());
        Assert.Equal("TASK_UNREACHABLE", framework.GetProperty("unreachable_tasks")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void Render_FinishedTask_InCompletedTasks()
    {
        var m = ClusterWithTask();
        var agent = m.Core.Agents.Keys.Single();
        var framework = m.Core.Frameworks.Keys.Single();
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Finished));
        using var doc = Render(m.Core);
        var fw = doc.RootElement.GetProperty("frameworks")[0];
        Assert.Equal(0, fw.GetProperty("tasks").GetArrayLength());
        Assert.Equal("TASK_FINISHED", fw.GetProperty("completed_tasks")[0].GetProperty("state").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("finished_tasks").GetInt32());
    }

    private static void CollectPids(JsonElement e, List<string?> pids)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name == "pid")
                {
                    pids.Add(p.Value.GetString());
                }

                CollectPids(p.Value, pids);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                CollectPids(item, pids);
            }
        }
    }

    /// <summary>
    /// Every field the reference has must be in ours with the same JSON kind, recursively; arrays compare the union
    /// of their elements' fields against our first element.
    /// </summary>
    private static void AssertShape(JsonElement reference, JsonElement actual, string path, List<string> problems)
    {
        if (reference.ValueKind == JsonValueKind.Object)
        {
            if (actual.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: expected object, got {actual.ValueKind}");
                return;
            }

            foreach (var property in reference.EnumerateObject())
            {
                var child = $"{path}/{property.Name}";
                if (Omitted.Contains(child) || path is "/flags" or "/slaves/attributes")
                {
                    continue;
                }

                if (!actual.TryGetProperty(property.Name, out var ours))
                {
                    problems.Add($"{child}: missing");
                    continue;
                }

                AssertShape(property.Value, ours, child, problems);
            }

            return;
        }

        if (reference.ValueKind == JsonValueKind.Array)
        {
            if (actual.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}: expected array, got {actual.ValueKind}");
                return;
            }

            if (actual.GetArrayLength() == 0)
            {
                if (reference.GetArrayLength() > 0 && path is "/slaves" or "/frameworks" or "/frameworks/tasks" or "/frameworks/tasks/statuses")
                {
                    problems.Add($"{path}: our document has no element to compare");
                }

                return;
            }

            // Compare each reference element against an element of ours that has the most in common.
            foreach (var item in reference.EnumerateArray())
            {
                var best = actual.EnumerateArray().OrderByDescending(a => Overlap(item, a)).First();
                AssertShape(item, best, path, problems);
            }

            return;
        }

        bool sameKind = reference.ValueKind == actual.ValueKind ||
            (reference.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.ValueKind is JsonValueKind.True or JsonValueKind.False);
        if (!sameKind)
        {
            problems.Add($"{path}: expected {reference.ValueKind}, got {actual.ValueKind}");
        }
    }

    private static int Overlap(JsonElement reference, JsonElement actual) =>
        reference.ValueKind == JsonValueKind.Object && actual.ValueKind == JsonValueKind.Object
            ? reference.EnumerateObject().Count(p => actual.TryGetProperty(p.Name, out _))
            : 0;
}
