namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>A fixed service port belongs to one app, as in Marathon.</summary>
public class ServicePortClashTests
{
    private const string First = """{"id":"/a","cmd":"sleep 100","portDefinitions":[{"port":10003}]}""";
    private const string Second = """{"id":"/b","cmd":"sleep 100","portDefinitions":[{"port":0},{"port":10003}]}""";

    [Fact]
    public void CreateApp_FixedServicePortOfAnotherApp_RefusedNamingThePortPath()
    {
        var h = new SchedulerHarness();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App(First)).IsSuccess);

        var clash = h.Core.CreateApp(SchedulerHarness.App(Second));

        Assert.Equal(422, clash.Status);
        var error = Assert.Single(clash.Details!);
        Assert.Equal("/portDefinitions/1/port", error.Path);
        Assert.Contains("app /a", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateApp_ServicePortFreedByDeletedApp_Accepted()
    {
        var h = new SchedulerHarness();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App(First)).IsSuccess);
        Assert.True(h.Core.DeleteApp("/a", force: true).IsSuccess);

        Assert.True(h.Core.CreateApp(SchedulerHarness.App(Second)).IsSuccess);
    }

    [Fact]
    public void UpdateApp_KeepingItsOwnServicePort_Accepted()
    {
        var h = new SchedulerHarness();
        var app = SchedulerHarness.App(First);
        Assert.True(h.Core.CreateApp(app).IsSuccess);

        Assert.True(h.Core.PutApps([app with { Instances = 2 }], force: true).IsSuccess);
    }
}
