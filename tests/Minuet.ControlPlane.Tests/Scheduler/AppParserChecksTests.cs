using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Health-check and readiness-check validation (Marathon's AppValidation and ReadinessCheck rules).</summary>
public class AppParserChecksTests
{
    private static (AppDefinition? App, Dictionary<string, List<string>> Errors) Parse(string json) => AppParserTests.Parse(json);

    [Fact]
    public void Parse_TwoMesosChecks_RefusedWithMarathonsMessage()
    {
        var (app, errors) = Parse("""{"id":"x","cmd":"c","healthChecks":[{"protocol":"MESOS_HTTP"},{"protocol":"MESOS_TCP"}]}""");
        Assert.Null(app);
        Assert.Equal(["AppDefinition can contain at most one Mesos health check"], errors["/healthChecks"]);
    }

    [Fact]
    public void Parse_MarathonAndMesosAndCommandChecks_Accepted()
    {
        var (app, errors) = Parse("""{"id":"x","cmd":"c","healthChecks":[{"protocol":"HTTP"},{"protocol":"TCP"},{"protocol":"MESOS_TCP"},{"protocol":"COMMAND","command":{"value":"true"}}]}""");
        Assert.Empty(errors);
        Assert.Equal(4, app!.HealthChecks.Count);
    }

    [Fact]
    public void Parse_ReadinessCheck_DefaultsAndEcho()
    {
        var (app, errors) = Parse("""{"id":"x","cmd":"c","portDefinitions":[{"port":0,"name":"http-api"}],"readinessChecks":[{}]}""");
        Assert.Empty(errors);
        var check = Assert.Single(app!.ReadinessChecks);
        Assert.Equal([200], check.HttpStatusCodesForReady);
        Assert.Equal((30d, 10d, "readinessCheck", "/"), (check.IntervalSeconds, check.TimeoutSeconds, check.Name, check.Path));

        var json = AppJsonWriter.ConfigJson(app);
        Assert.Contains("\"readinessChecks\":[{\"name\":\"readinessCheck\",\"protocol\":\"HTTP\",\"path\":\"/\",\"portName\":\"http-api\",\"intervalSeconds\":30,\"timeoutSeconds\":10,\"httpStatusCodesForReady\":[200],\"preserveLastResponse\":false}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadinessCheckProblems_EveryFieldNamed()
    {
        var (app, errors) = Parse("""
            {"id":"x","cmd":"c","portDefinitions":[{"port":0,"name":"api"}],
             "readinessChecks":[{"portName":"web","protocol":"HTTPS","intervalSeconds":2,"timeoutSeconds":5,"httpStatusCodesForReady":[]}]}
            """);
        Assert.Null(app);
        Assert.Contains("'web' is not one of the app's port names (api)", errors["/readinessChecks/0/portName"]);
        Assert.Contains("HTTPS readiness checks are not supported; use HTTP", errors["/readinessChecks/0/protocol"]);
        Assert.Contains("must be less than intervalSeconds", errors["/readinessChecks/0/timeoutSeconds"]);
        Assert.Contains("must name at least one status code", errors["/readinessChecks/0/httpStatusCodesForReady"]);
    }

    [Fact]
    public void Parse_TwoReadinessChecks_Refused()
    {
        var (_, errors) = Parse("""{"id":"x","cmd":"c","portDefinitions":[{"port":0,"name":"http-api"}],"readinessChecks":[{},{}]}""");
        Assert.Equal(["only one readiness check is supported"], errors["/readinessChecks"]);
    }
}
