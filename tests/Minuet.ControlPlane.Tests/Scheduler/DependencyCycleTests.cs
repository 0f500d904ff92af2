using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>A change that closes a dependency cycle is refused with 422, naming the cycle, and changes nothing.</summary>
public class DependencyCycleTests
{
    [Fact]
    public void CreateApp_DependingOnAppThatDependsOnIt_Refused422NamingTheCycle()
    {
        var h = new SchedulerHarness();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/a","cmd":"x","dependencies":["/b"]}""")).IsSuccess);

        var refused = h.Core.CreateApp(SchedulerHarness.App("""{"id":"/b","cmd":"x","dependencies":["/a"]}"""));

        Assert.Equal(422, refused.Status);
        var error = Assert.Single(refused.Details!);
        Assert.Equal("/dependencies", error.Path);
        Assert.Equal("dependency cycle: /a -> /b -> /a", Assert.Single(error.Errors));
        Assert.False(h.Core.Read(v => v.Apps.ContainsKey("/b")));
    }

    [Fact]
    public void PutApps_UpdateClosingALongerCycle_RefusedAndDefinitionKept()
    {
        var h = new SchedulerHarness();
        var a = SchedulerHarness.App("""{"id":"/a","cmd":"x"}""");
        Assert.True(h.Core.CreateApp(a, force: true).IsSuccess);
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/b","cmd":"x","dependencies":["/a"]}"""), force: true).IsSuccess);
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/c","cmd":"x","dependencies":["/b"]}"""), force: true).IsSuccess);

        var refused = h.Core.PutApps([a with { Dependencies = ["/c"] }], force: true);

        Assert.Equal(422, refused.Status);
        Assert.Equal("dependency cycle: /a -> /c -> /b -> /a", Assert.Single(Assert.Single(refused.Details!).Errors));
        Assert.Empty(h.Core.Read(v => v.Apps["/a"].Definition.Dependencies));
    }

    [Fact]
    public void PutGroup_GroupsDependingOnEachOther_RefusedThroughTheirAppsAndNothingStored()
    {
        var h = new SchedulerHarness();
        var (apps, groups) = ParseGroup("""
            {"id":"/","groups":[
              {"id":"front","dependencies":["/back"],"apps":[{"id":"web","cmd":"x"}]},
              {"id":"back","dependencies":["/front"],"apps":[{"id":"db","cmd":"x"}]}]}
            """);

        var refused = h.Core.PutGroup("/", apps, groups, create: false);

        Assert.Equal(422, refused.Status);
        var error = Assert.Single(refused.Details!);
        Assert.Equal("/dependencies", error.Path);
        Assert.Equal("dependency cycle: /back/db -> /front/web -> /back/db", Assert.Single(error.Errors));
        Assert.Empty(h.Core.Read(v => v.Groups.Keys.ToList()));
        Assert.Empty(h.Core.Read(v => v.VisibleApps.ToList()));
        Assert.Empty(h.Store.Load().Groups);
    }

    [Fact]
    public void CreateApp_JoiningAGroupAnotherAppDependsOn_RefusedWhenItDependsBack()
    {
        var h = new SchedulerHarness();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/web","cmd":"x","dependencies":["/data"]}""")).IsSuccess);

        var refused = h.Core.CreateApp(SchedulerHarness.App("""{"id":"/data/db","cmd":"x","dependencies":["/web"]}"""));

        Assert.Equal(422, refused.Status);
        Assert.Equal("dependency cycle: /data/db -> /web -> /data/db", Assert.Single(Assert.Single(refused.Details!).Errors));
    }

    [Fact]
    public void CreateApp_DiamondOfDependencies_Accepted()
    {
        var h = new SchedulerHarness();
        var (apps, groups) = ParseGroup("""
            {"id":"/d","apps":[
              {"id":"base","cmd":"x"},
              {"id":"left","cmd":"x","dependencies":["/d/base"]},
              {"id":"right","cmd":"x","dependencies":["/d/base"]},
              {"id":"top","cmd":"x","dependencies":["/d/left","/d/right"]}]}
            """);

        var result = h.Core.PutGroup("/d", apps, groups, create: true);

        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(3, result.Deployment!.Steps.Count);
    }

    [Fact]
    public void Through_CycleNotTouchingTheChangedApps_NotReported()
    {
        var apps = Apps(("/a", ["/b"]), ("/b", ["/a"]), ("/c", ["/a"]));

        Assert.Empty(DependencyCycles.Through(apps, ["/c"]));
        var cycle = Assert.Single(DependencyCycles.Through(apps, ["/b", "/a"]));
        Assert.Equal(["/a", "/b", "/a"], cycle);
    }

    private static Dictionary<string, AppDefinition> Apps(params (string Id, string[] Dependencies)[] apps) =>
        apps.ToDictionary(a => a.Id, a => SchedulerHarness.App($$"""{"id":"{{a.Id}}","cmd":"x"}""") with { Dependencies = a.Dependencies }, StringComparer.Ordinal);

    private static (List<AppDefinition> Apps, List<Minuet.ControlPlane.Scheduler.Storage.StoredGroup> Groups) ParseGroup(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var parsed = GroupParser.Parse(doc.RootElement, "/", errors);
        Assert.False(errors.Any);
        return parsed;
    }
}
