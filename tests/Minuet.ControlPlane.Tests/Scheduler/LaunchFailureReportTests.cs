using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Every launch failure reaches the user: lastTaskFailure on the app, the offer reasons in /v2/queue.</summary>
public sealed class LaunchFailureReportTests : SchedulerHostFixture
{
    private protected override double AgentCpus => 2;

    [Fact]
    public async Task Queue_AppNoOfferCanHold_ListsUnusedOffersWithMarathonReasons()
    {
        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/big","cmd":"sleep 100","cpus":64,"mem":32,"portDefinitions":[{"port":80}],"requirePorts":true}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        JsonElement item = default;
        await HostTestSteps.WaitAsync(async () =>
        {
            Master.Time.Advance(TimeSpan.FromSeconds(6));
            Master.Core.Tick(Master.Time.Now);
            var queue = await Http.GetFromJsonAsync<JsonElement>("v2/queue");
            item = queue.GetProperty("queue").EnumerateArray().FirstOrDefault();
            return item.ValueKind == JsonValueKind.Object && item.GetProperty("lastUnusedOffers").GetArrayLength() > 0;
        });

        Assert.Equal("/big", item.GetProperty("app").GetProperty("id").GetString());
        var unused = item.GetProperty("lastUnusedOffers")[0];
        var reasons = unused.GetProperty("reason").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["InsufficientCpus", "InsufficientPorts"], reasons);
        Assert.Equal(AgentId, unused.GetProperty("offer").GetProperty("agentId").GetString());
        var summary = item.GetProperty("processedOffersSummary");
        Assert.True(summary.GetProperty("processedOffersCount").GetInt32() >= 1);
        Assert.Equal(summary.GetProperty("processedOffersCount").GetInt32(), summary.GetProperty("unusedOffersCount").GetInt32());
        var funnel = summary.GetProperty("rejectSummaryLastOffers").EnumerateArray().ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("declined").GetInt32());
        Assert.Equal(summary.GetProperty("unusedOffersCount").GetInt32(), funnel["InsufficientCpus"]);
        Assert.Equal(0, funnel["InsufficientPorts"]);
    }

    [Fact]
    public async Task App_TaskFailed_LastTaskFailureInMarathonShape()
    {
        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/crash","cmd":"exit 1","cpus":0.1,"mem":32}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var taskId = await HostTestSteps.LaunchedTaskAsync(Master, 1);
        var launch = Master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;
        var status = Master.Status(taskId, launch.FrameworkId, AgentId, TaskState.Failed, null, "10.0.0.11") with { Message = "cgroup setup failed: Access denied" };
        Assert.Null(Master.Core.StatusUpdate(AgentId, status).Error);

        JsonElement failure = default;
        await HostTestSteps.WaitAsync(async () =>
        {
            var app = await HostTestSteps.AppAsync(Http, "crash");
            return app.TryGetProperty("lastTaskFailure", out failure);
        });

        Assert.Equal("/crash", failure.GetProperty("appId").GetString());
        Assert.Equal(taskId, failure.GetProperty("taskId").GetString());
        Assert.Equal("TASK_FAILED", failure.GetProperty("state").GetString());
        Assert.Equal("cgroup setup failed: Access denied", failure.GetProperty("message").GetString());
        Assert.Equal(AgentId, failure.GetProperty("slaveId").GetString());
        Assert.True(failure.TryGetProperty("host", out _));
        Assert.True(failure.TryGetProperty("timestamp", out _));
        Assert.True(failure.TryGetProperty("version", out _));

        var listed = await Http.GetFromJsonAsync<JsonElement>("v2/apps?embed=apps.lastTaskFailure");
        Assert.Equal(taskId, listed.GetProperty("apps")[0].GetProperty("lastTaskFailure").GetProperty("taskId").GetString());
    }
}
