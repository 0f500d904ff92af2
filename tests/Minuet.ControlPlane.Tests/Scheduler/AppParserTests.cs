using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class AppParserTests
{
    internal static (AppDefinition? App, Dictionary<string, List<string>> Errors) Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var app = AppParser.Parse(doc.RootElement, string.Empty, "/", errors);
        return (app, errors.ToList().ToDictionary(e => e.Path, e => e.Errors.ToList()));
    }

    [Fact]
    public void Parse_Minimal_AppliesMarathonDefaults()
    {
        var (app, errors) = Parse("""{"id":"web","cmd":"sleep 1"}""");
        Assert.Empty(errors);
        Assert.Equal("/web", app!.Id);
        Assert.Equal(1, app.Instances);
        Assert.Equal(1, app.Cpus);
        Assert.Equal(128, app.Mem);
        Assert.Equal(0, app.Disk);
        Assert.Equal(1, app.BackoffSeconds);
        Assert.Equal(1.15, app.BackoffFactor);
        Assert.Equal(300, app.MaxLaunchDelaySeconds);
        Assert.Equal(new UpgradeStrategySpec(1, 1), app.UpgradeStrategy);
        Assert.Equal(KillSelection.YoungestFirst, app.KillSelection);
        var port = Assert.Single(app.PortDefinitions);
        Assert.Equal((0, "tcp", "default"), (port.Port, port.Protocol, port.Name));
        Assert.Equal(NetworkMode.Host, Assert.Single(app.Networks).Mode);
    }

    [Fact]
    public void Parse_ExplicitEmptyPortDefinitions_KeepsNoPorts()
    {
        var (app, errors) = Parse("""{"id":"web","cmd":"sleep 1","portDefinitions":[]}""");
        Assert.Empty(errors);
        Assert.Empty(app!.PortDefinitions);
    }

    [Fact]
    public void Parse_HealthCheck_DefaultsAreMarathons()
    {
        var (app, errors) = Parse("""{"id":"web","cmd":"sleep 1","healthChecks":[{}, {"protocol":"MESOS_TCP"}]}""");
        Assert.Empty(errors);
        var http = app!.HealthChecks[0];
        Assert.Equal(("HTTP", "/", 300d, 60d, 20d, 3, 0d), (http.Protocol, http.Path, http.GracePeriodSeconds, http.IntervalSeconds, http.TimeoutSeconds, http.MaxConsecutiveFailures, http.DelaySeconds));
        Assert.Equal(15, app.HealthChecks[1].DelaySeconds);
    }

    [Theory]
    [InlineData("""{"cmd":"x"}""", "/id", "is required")]
    [InlineData("""{"id":"Web","cmd":"x"}""", "/id", "must fully match")]
    [InlineData("""{"id":"/a/tasks","cmd":"x"}""", "/id", "reserved")]
    [InlineData("""{"id":"/a/../..","cmd":"x"}""", "/id", "")]
    [InlineData("""{"id":"/web","cmd":"x","args":["y"]}""", "/", "either contain one of 'cmd' or 'args'")]
    [InlineData("""{"id":"/web"}""", "/", "either contain one of 'cmd' or 'args'")]
    [InlineData("""{"id":"/web","cmd":"x","instances":-1}""", "/instances", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","instances":"3"}""", "/instances", "must be an integer")]
    [InlineData("""{"id":"/web","cmd":"x","cpus":-0.5}""", "/cpus", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","mem":-1}""", "/mem", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","disk":-1}""", "/disk", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","gpus":1}""", "/gpus", "not supported")]
    [InlineData("""{"id":"/web","cmd":"x","env":{"A":1}}""", "/env/A", "must be a string")]
    [InlineData("""{"id":"/web","cmd":"x","env":{"P":{"secret":"s"}}}""", "/env/P", "secret")]
    [InlineData("""{"id":"/web","cmd":"x","labels":{"a":true}}""", "/labels/a", "must be a string")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[{"port":70000}]}""", "/portDefinitions/0/port", "between 0 and 65535")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[{"port":0,"protocol":"sctp"}]}""", "/portDefinitions/0/protocol", "not one of tcp")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[{"port":0,"name":"Bad_Name"}]}""", "/portDefinitions/0/name", "^[a-z0-9-]+$")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[{"port":80},{"port":80}]}""", "/portDefinitions", "more than once")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[{"port":0,"name":"a"},{"port":0,"name":"a"}]}""", "/portDefinitions", "used more than once")]
    [InlineData("""{"id":"/web","cmd":"x","container":{"type":"DOCKER"}}""", "/container/docker", "is required for a DOCKER container")]
    [InlineData("""{"id":"/web","cmd":"x","container":{"type":"RKT"}}""", "/container/type", "not one of MESOS")]
    [InlineData("""{"id":"/web","cmd":"x","container":{"type":"MESOS","volumes":[{"containerPath":"/a"}]}}""", "/container/volumes", "need a Docker image")]
    [InlineData("""{"id":"/web","cmd":"x","container":{"portMappings":[{"containerPort":80}]}}""", "/container/portMappings", "not allowed with host networking")]
    [InlineData("""{"id":"/web","cmd":"x","networks":[{"mode":"container/bridge"}]}""", "/networks/0/mode", "needs a Docker image")]
    [InlineData("""{"id":"/web","cmd":"x","networks":[{"mode":"overlay"}]}""", "/networks/0/mode", "not one of host")]
    [InlineData("""{"id":"/web","cmd":"x","networks":[{"mode":"host"},{"mode":"container","name":"a"}]}""", "/networks", "May specify a single host network")]
    [InlineData("""{"id":"/web","cmd":"x","networks":[{"mode":"container"}],"portDefinitions":[{"port":0}]}""", "/portDefinitions", "only allowed with host-networking")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"protocol":"HTTPS"}]}""", "/healthChecks/0/protocol", "not supported")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"protocol":"UDP"}]}""", "/healthChecks/0/protocol", "not one of HTTP")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"portIndex":3}]}""", "/healthChecks/0/portIndex", "between 0 and 0")]
    [InlineData("""{"id":"/web","cmd":"x","portDefinitions":[],"healthChecks":[{"protocol":"TCP"}]}""", "/healthChecks/0/portIndex", "no ports")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"protocol":"COMMAND"}]}""", "/healthChecks/0/command", "command.value")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"intervalSeconds":0}]}""", "/healthChecks/0/intervalSeconds", "greater than 0")]
    [InlineData("""{"id":"/web","cmd":"x","healthChecks":[{"maxConsecutiveFailures":-1}]}""", "/healthChecks/0/maxConsecutiveFailures", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["hostname","NEAR"]]}""", "/constraints/0/1", "not one of UNIQUE")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["hostname","UNIQUE","x"]]}""", "/constraints/0/2", "UNIQUE takes no value")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack","MAX_PER"]]}""", "/constraints/0", "MAX_PER needs a positive integer")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack","MAX_PER","0"]]}""", "/constraints/0/2", "MAX_PER needs a positive integer")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack","GROUP_BY","two"]]}""", "/constraints/0/2", "GROUP_BY")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack","LIKE","(a"]]}""", "/constraints/0/2", "not a valid regular expression")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack","UNLIKE"]]}""", "/constraints/0", "needs a regular expression")]
    [InlineData("""{"id":"/web","cmd":"x","constraints":[["rack"]]}""", "/constraints/0", "2 or 3 elements")]
    [InlineData("""{"id":"/web","cmd":"x","upgradeStrategy":{"minimumHealthCapacity":1.5}}""", "/upgradeStrategy/minimumHealthCapacity", "is greater than 1")]
    [InlineData("""{"id":"/web","cmd":"x","upgradeStrategy":{"maximumOverCapacity":-0.1}}""", "/upgradeStrategy/maximumOverCapacity", "is less than 0")]
    [InlineData("""{"id":"/web","cmd":"x","backoffFactor":0.5}""", "/backoffFactor", "greater than or equal to 1")]
    [InlineData("""{"id":"/web","cmd":"x","backoffSeconds":-1}""", "/backoffSeconds", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","maxLaunchDelaySeconds":-1}""", "/maxLaunchDelaySeconds", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","killSelection":"RANDOM"}""", "/killSelection", "YOUNGEST_FIRST")]
    [InlineData("""{"id":"/web","cmd":"x","dependencies":["Bad"]}""", "/dependencies/0", "must fully match")]
    [InlineData("""{"id":"/web","cmd":"x","taskKillGracePeriodSeconds":-1}""", "/taskKillGracePeriodSeconds", "greater than or equal to 0")]
    [InlineData("""{"id":"/web","cmd":"x","secrets":{"s":{"source":"/a"}}}""", "/secrets", "not supported")]
    [InlineData("""{"id":"/web","cmd":"x","ipAddress":{}}""", "/ipAddress", "not supported")]
    [InlineData("""{"id":"/web","cmd":"x","fetch":[{"uri":"http://a/b"}]}""", "/fetch", "not supported")]
    public void Parse_InvalidField_ErrorNamesItsPath(string json, string path, string message)
    {
        var (app, errors) = Parse(json);
        Assert.Null(app);
        Assert.True(errors.ContainsKey(path), $"expected an error at {path}, got {string.Join(", ", errors.Keys)}");
        Assert.Contains(errors[path], e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ManyProblems_CollectsEveryOne()
    {
        var (app, errors) = Parse("""{"id":"/web","instances":-2,"cpus":"x","container":{"type":"DOCKER"},"upgradeStrategy":{"minimumHealthCapacity":2}}""");
        Assert.Null(app);
        Assert.Equal(["/", "/container/docker", "/cpus", "/instances", "/upgradeStrategy/minimumHealthCapacity"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_ContainerNetwork_PortsComeFromMappings()
    {
        var (app, errors) = Parse("""{"id":"/g/a","cmd":"x","networks":[{"mode":"container","name":"minuet"}],"container":{"type":"MESOS","portMappings":[{"containerPort":80,"name":"http","labels":{"VIP_0":"/g/a:80"}}]}}""");
        Assert.Empty(errors);
        var port = Assert.Single(app!.Ports);
        Assert.Equal((80, (int?)null, "http"), (port.ContainerPort!.Value, port.HostPort, port.Name));
        Assert.Empty(app.PortDefinitions);
    }

    [Fact]
    public void Parse_ConstraintObjectsAndArrays_BothAccepted()
    {
        var (app, errors) = Parse("""{"id":"/a","cmd":"x","constraints":[["hostname","UNIQUE"],{"fieldName":"rack","operator":"MAX_PER","value":"2"}]}""");
        Assert.Empty(errors);
        Assert.Equal([new ConstraintSpec("hostname", ConstraintOperator.Unique, null), new ConstraintSpec("rack", ConstraintOperator.MaxPer, "2")], app!.Constraints);
    }

    [Fact]
    public void WriteThenParse_RoundTripsTheDefinition()
    {
        var (app, _) = Parse("""{"id":"/a/b","args":["sleep","5"],"instances":3,"env":{"X":"1"},"labels":{"l":"v"},"portDefinitions":[{"port":10005,"name":"web","protocol":"udp,tcp","labels":{"VIP_0":"/a:1"}}],"healthChecks":[{"protocol":"MESOS_HTTP","path":"/h"}],"constraints":[["rack","LIKE","r[0-9]"]],"upgradeStrategy":{"minimumHealthCapacity":0.5,"maximumOverCapacity":0.2},"killSelection":"OLDEST_FIRST","dependencies":["/x"]}""");
        var json = AppJsonWriter.ConfigJson(app!);
        var (again, errors) = Parse(json);
        Assert.Empty(errors);
        Assert.Equal(json, AppJsonWriter.ConfigJson(again!));
        Assert.True(app!.SameConfigAs(again!));
    }
}
