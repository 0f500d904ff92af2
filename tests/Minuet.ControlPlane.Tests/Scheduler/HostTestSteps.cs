using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Steps the HTTP-level scheduler tests share: JSON bodies, polling, playing the master's agent.</summary>
internal static class HostTestSteps
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> AppAsync(HttpClient http, string id) =>
        (await http.GetFromJsonAsync<JsonElement>("v2/apps/" + id)).GetProperty("app");

    /// <summary>Ticks the master until the framework has launched <paramref name="count"/> tasks; returns the last one.</summary>
    public static async Task<string> LaunchedTaskAsync(TestMaster master, int count)
    {
        await WaitAsync(() =>
        {
            master.Time.Advance(TimeSpan.FromSeconds(6));
            master.Core.Tick(master.Time.Now);
            return Task.FromResult(master.Dispatcher.Launches.Count >= count);
        });
        return master.Dispatcher.Launches[count - 1].Launch.TaskId;
    }

    /// <summary>Plays the agent: a status for a launched task, from <paramref name="ip"/>.</summary>
    public static void Report(TestMaster master, string agent, string taskId, TaskState state, bool? healthy = null, string ip = "10.0.0.11")
    {
        var launch = master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;
        Assert.Null(master.Core.StatusUpdate(agent, master.Status(taskId, launch.FrameworkId, agent, state, healthy, ip)).Error);
    }

    public static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not reached within 10 s");
    }
}
