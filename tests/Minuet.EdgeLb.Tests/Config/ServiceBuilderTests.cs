using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

public sealed class ServiceBuilderTests
{
    [Theory]
    [InlineData("HAPROXY_0_PORT", "70000", "outside 1-65535")]
    [InlineData("HAPROXY_0_PORT", "0", "outside 1-65535")]
    [InlineData("HAPROXY_0_MODE", "udp", "neither http nor tcp")]
    [InlineData("HAPROXY_0_VHOST", "a b.example.com", "host names")]
    [InlineData("HAPROXY_0_BALANCE", "fastest", "balance algorithm")]
    [InlineData("HAPROXY_0_STICKY", "maybe", "not a boolean")]
    [InlineData("HAPROXY_0_PATH", "/a\\n  server evil 6.6.6.6:1", "line breaks")]
    public void Build_BadLabel_AppLeftOutWithLabelAndReason(string label, string value, string reason)
    {
        string bad = Apps.Nginx($"\"HAPROXY_GROUP\":\"external\",\"{label}\":\"{value}\"").Replace("\"/nginx\"", "\"/bad\"", StringComparison.Ordinal);
        string good = Apps.Nginx("\"HAPROXY_GROUP\":\"external\"");
        var (config, rejections) = Apps.Render(Apps.Document(bad, good));
        var rejection = Assert.Single(rejections);
        Assert.Equal("/bad", rejection.AppId);
        Assert.Equal(label, rejection.Field);
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("bad_", config.Text, StringComparison.Ordinal);
        Assert.Contains("backend nginx_10000\n", config.Text, StringComparison.Ordinal); // the rest still serve
    }

    [Fact]
    public void Build_TaskWithoutLiveHealthResult_LeftOut()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"", healthResults: "[]")));
        Assert.DoesNotContain("nginx_10000", config.Text, StringComparison.Ordinal);
        var (dead, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"", healthResults: """[{"alive":false}]""")));
        Assert.DoesNotContain("nginx_10000", dead.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AppWithoutChecks_TaskServesWithoutResults()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"", check: null, healthResults: "[]")));
        Assert.Contains("  server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363\n", config.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TASK_STAGING", false)]
    [InlineData("TASK_KILLING", false)]
    [InlineData("TASK_LOST", true)]
    [InlineData("TASK_UNREACHABLE", true)]
    public void Build_TaskState_OnlyPossiblyRunningTasksServe(string state, bool serves)
    {
        string app = Apps.Nginx("\"HAPROXY_GROUP\":\"external\"", check: null).Replace("TASK_RUNNING", state, StringComparison.Ordinal);
        var (config, _) = Apps.Render(Apps.Document(app));
        Assert.Equal(serves, config.Text.Contains("server agent1_1_1_1_1_1024", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ResultsMissingLater_LastVerdictRemembered()
    {
        var builder = new ServiceBuilder(Apps.Resolve, strictMode: false);
        var (withResult, _) = MarathonAppsReader.Parse(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"")));
        Assert.Single(builder.Build(withResult).Services);
        string noResults = Apps.Nginx("\"HAPROXY_GROUP\":\"external\"").Replace(",\"healthCheckResults\":[{\"alive\":true}]", "", StringComparison.Ordinal);
        var (without, _) = MarathonAppsReader.Parse(Apps.Document(noResults));
        Assert.Single(builder.Build(without).Services);
        Assert.Empty(new ServiceBuilder(Apps.Resolve, strictMode: false).Build(without).Services);
    }

    [Fact]
    public void Build_ScaledApp_ServersSortedWithIdsStable()
    {
        string app = """
            {"id":"/web","labels":{"HAPROXY_GROUP":"external"},"portDefinitions":[{"port":10000}],
             "tasks":[{"id":"web.2","host":"127.0.0.1","ports":[31002],"state":"TASK_RUNNING"},
                      {"id":"web.1","host":"127.0.0.1","ports":[31001],"state":"TASK_RUNNING"}]}
            """;
        var (config, _) = Apps.Render(Apps.Document(app));
        var servers = config.Backends["web_10000"].Servers;
        Assert.Equal(["127_0_0_1_31001", "127_0_0_1_31002"], servers.Select(s => s.Name));
        Assert.True(config.Backends["web_10000"].Dynamic);
        var (one, _) = Apps.Render(Apps.Document(app.Replace("{\"id\":\"web.2\",\"host\":\"127.0.0.1\",\"ports\":[31002],\"state\":\"TASK_RUNNING\"},", "", StringComparison.Ordinal)));
        Assert.Equal(servers[0], Assert.Single(one.Backends["web_10000"].Servers));
        Assert.Equal(config.Skeleton, one.Skeleton); // only servers differ: no reload needed
    }
}
