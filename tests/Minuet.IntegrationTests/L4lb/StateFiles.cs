using System.Text.Json;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>Writes Mesos <c>/master/state</c> documents for the daemon tests (agents are the topology's backends).</summary>
internal static class StateFiles
{
    /// <summary>One task per (backend index, VIP label) pair, each on the backend's port (8080 unless given).</summary>
    public static string Document(IEnumerable<(int Backend, string Vip)> tasks, int port = L4lbTopology.BackendPort, string protocol = "tcp")
    {
        var taskList = tasks.Select((t, i) => new Dictionary<string, object?>
        {
            ["id"] = $"web.{i}",
            ["name"] = "web",
            ["framework_id"] = "fw",
            ["slave_id"] = $"a{t.Backend + 1}",
            ["state"] = "TASK_RUNNING",
            ["resources"] = new Dictionary<string, object> { ["ports"] = $"[{port}-{port}]" },
            ["discovery"] = new Dictionary<string, object>
            {
                ["name"] = "web",
                ["ports"] = new Dictionary<string, object>
                {
                    ["ports"] = new[]
                    {
                        new Dictionary<string, object>
                        {
                            ["number"] = port,
                            ["protocol"] = protocol,
                            ["labels"] = new Dictionary<string, object> { ["labels"] = new[] { new Dictionary<string, string> { ["key"] = "VIP_0", ["value"] = t.Vip } } },
                        },
                    },
                },
            },
            ["statuses"] = new[] { new Dictionary<string, object> { ["state"] = "TASK_RUNNING", ["timestamp"] = 1.0 } },
        }).ToArray();
        var document = new Dictionary<string, object>
        {
            ["frameworks"] = new[] { new Dictionary<string, object> { ["id"] = "fw", ["name"] = "marathon", ["tasks"] = taskList } },
            ["slaves"] = Enumerable.Range(0, 3).Select(i => new Dictionary<string, string>
            {
                ["id"] = $"a{i + 1}",
                ["hostname"] = $"198.18.{i + 1}.2",
                ["pid"] = $"slave(1)@198.18.{i + 1}.2:5051",
            }).ToArray(),
        };
        return JsonSerializer.Serialize(document);
    }
}
