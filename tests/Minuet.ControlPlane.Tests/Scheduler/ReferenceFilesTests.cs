using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Every real Marathon body in Fixtures/ (shared/reference/marathon): deployed, or refused with 422 naming the fields.</summary>
public class ReferenceFilesTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "app-simple.json", [] },
        { "python-http-unique-constraint.json", [] },
        { "readiness-and-health-app.json", [] },
        { "marathon-lb-nginx-host-portdefinitions.json", [] },
        { "vip-named-host-portdefinition.json", [] },
        { "group-with-dependencies.json", [] },
        { "app-full-reference.json", ["/", "/container/docker/image", "/container/docker/parameters/0/key", "/portDefinitions", "/env/PASSWORD", "/secrets", "/ipAddress", "/fetch"] },
        { "bridge-http-and-command-healthchecks.json", [] },
        { "marathon-lb-nginx-bridge-haproxy-group.json", [] },
        { "vip-named-container-network.json", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ReferenceFile_AcceptedOrRefusedNamingFields(string file, string[] expectedPaths)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scheduler", "Fixtures", file));
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        int apps = 0;
        if (doc.RootElement.TryGetProperty("groups", out _))
        {
            apps = GroupParser.Parse(doc.RootElement, "/", errors).Apps.Count;
        }
        else if (AppParser.Parse(doc.RootElement, string.Empty, "/", errors) is not null)
        {
            apps = 1;
        }

        var paths = errors.ToList().Select(e => e.Path).ToHashSet();
        if (expectedPaths.Length == 0)
        {
            Assert.Empty(paths);
            Assert.True(apps > 0);
        }
        else
        {
            Assert.Equal(0, apps);
            foreach (var path in expectedPaths)
            {
                Assert.Contains(path, paths);
            }
        }
    }

    [Fact]
    public void Parse_GroupWithDependencies_AppsInheritGroupDependencies()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scheduler", "Fixtures", "group-with-dependencies.json"));
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var (apps, groups) = GroupParser.Parse(doc.RootElement, "/", errors);
        var service = apps.Single(a => a.Id == "/department-1/service/basic-app-1");
        Assert.Equal(["/department-1/database"], service.Dependencies);
        Assert.Contains(groups, g => g.Id == "/department-1/service" && g.Dependencies.SequenceEqual(["/department-1/database"]));
    }
}
