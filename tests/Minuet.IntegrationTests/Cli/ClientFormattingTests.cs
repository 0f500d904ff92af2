using Minuet.Cli.Client;
using Minuet.Cli.Cluster;
using Minuet.Cli.Verbs;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.IntegrationTests.Cli;

public sealed class ClientFormattingTests
{
    [Fact]
    public void Describe_422WithDetails_NamesEveryField()
    {
        var response = new MarathonResponse(422, """{"message":"Object is not valid","details":[{"path":"/id","errors":["bad id"]},{"path":"/instances","errors":["must be >= 0","too small"]}]}""", null);

        string text = MarathonErrors.Describe(response);

        Assert.StartsWith("refused (422 Object is not valid)", text, StringComparison.Ordinal);
        Assert.Contains("\n  /id: bad id", text, StringComparison.Ordinal);
        Assert.Contains("\n  /instances: must be >= 0", text, StringComparison.Ordinal);
        Assert.Contains("\n  /instances: too small", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_409_ListsDeploymentsInTheWay()
    {
        var response = new MarathonResponse(409, """{"message":"App is locked by one or more deployments.","deployments":[{"id":"d-1"}]}""", null);

        string text = MarathonErrors.Describe(response);

        Assert.Contains("conflict (409 App is locked", text, StringComparison.Ordinal);
        Assert.Contains("deployment in progress: d-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Unreachable_SaysSoAndHowToFix()
    {
        string text = MarathonErrors.Describe(new MarathonResponse(0, string.Empty, "cannot reach http://127.0.0.1:8080/v2/apps: refused (is `minuet up` running? --marathon sets the URL)"));

        Assert.Contains("--marathon", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFormatApps_AppsWithChecksAndVips_OneRowEach()
    {
        const string json = """
            {"apps":[{"id":"/web","instances":3,"tasksRunning":2,"tasksHealthy":1,"cmd":"serve","healthChecks":[{}],
              "portDefinitions":[{"port":0,"labels":{"VIP_0":"/web:80"}}],"deployments":[{"id":"x"}]},
             {"id":"/batch","instances":1,"tasksRunning":1,"cmd":"run"}]}
            """;

        Assert.True(MarathonTables.TryFormatApps(json, out string table, out _));

        var lines = table.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^/web\s+2/3\s+1/3\s+/web:80\s+deploying\s+serve$", lines[1]);
        Assert.Matches(@"^/batch\s+1/1\s+-\s+-\s+-\s+run$", lines[2]);
    }

    [Fact]
    public void TryFormatApps_AppShortOfInstances_SaysWhyFromQueueAndLastFailure()
    {
        const string apps = """
            {"apps":[{"id":"/big","instances":2,"tasksRunning":0,"cmd":"serve","deployments":[{"id":"d"}]},
             {"id":"/crash","instances":1,"tasksRunning":0,"cmd":"exit 1","deployments":[{"id":"e"}],
              "lastTaskFailure":{"appId":"/crash","host":"h1","message":"cgroup setup failed: Access denied","slaveId":"a1","state":"TASK_FAILED","taskId":"crash.1","timestamp":"2026-12-07T15:00:00.000Z","version":"2026-12-07T14:59:00.000Z"}},
             {"id":"/fine","instances":1,"tasksRunning":1,"cmd":"ok"}]}
            """;
        const string queue = """
            {"queue":[{"count":2,"delay":{"overdue":true,"timeLeftSeconds":0},"app":{"id":"/big"},
              "processedOffersSummary":{"processedOffersCount":2,"unusedOffersCount":2},
              "lastUnusedOffers":[{"offer":{"id":"o1"},"reason":["InsufficientCpus","InsufficientPorts"],"timestamp":"t"},{"offer":{"id":"o2"},"reason":["InsufficientPorts"],"timestamp":"t"}]},
             {"count":1,"delay":{"overdue":false,"timeLeftSeconds":7},"app":{"id":"/crash"},"lastUnusedOffers":[]}]}
            """;

        Assert.True(MarathonTables.TryFormatApps(apps, queue, out string table, out _));

        Assert.Contains("/big (0/2): no offer fits: InsufficientCpus (1 of the last 2 offers), InsufficientPorts (2 of the last 2 offers)", table, StringComparison.Ordinal);
        Assert.Contains("/crash (0/1): next launch in 7 s", table, StringComparison.Ordinal);
        Assert.Contains("/crash (0/1): last failure TASK_FAILED at 2026-12-07T15:00:00.000Z: cgroup setup failed: Access denied", table, StringComparison.Ordinal);
        Assert.DoesNotContain("/fine (", table, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFormatTasks_WithEndedTasksFromMasterState_ShowsStateAndMessage()
    {
        const string state = """
            {"slaves":[{"id":"a1","hostname":"node1"}],
             "frameworks":[{"name":"marathon","completed_tasks":[{"id":"web_shop.1","name":"web.shop","slave_id":"a1","state":"TASK_FAILED",
               "statuses":[{"state":"TASK_STARTING","timestamp":1765119600.0},{"state":"TASK_FAILED","timestamp":1765119601.5}]}]},
              {"name":"other","completed_tasks":[{"id":"x","name":"x","slave_id":"a1","state":"TASK_FINISHED","statuses":[]}]}]}
            """;
        // Mesos's state JSON has no status messages: they come from each app's lastTaskFailure.
        var messages = CompletedTasks.FailureMessages("""{"apps":[{"id":"/shop/web","lastTaskFailure":{"taskId":"web_shop.1","message":"cgroup setup failed: Access denied"}}]}""");
        var ended = CompletedTasks.Parse(state, messages);
        Assert.NotNull(ended);
        var row = Assert.Single(ended);
        Assert.Equal("/shop/web", row.App);
        Assert.Equal("node1", row.Host);

        Assert.True(MarathonTables.TryFormatTasks("""{"tasks":[]}""", ended, out string table, out _));

        var lines = table.TrimEnd('\n').Split('\n');
        Assert.Contains("MESSAGE", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^web_shop\.1\s+/shop/web\s+node1\s+-\s+TASK_FAILED\s+-\s+\S+\s+cgroup setup failed: Access denied$", lines[1]);
    }

    [Theory]
    [InlineData("""{"marathon_config":{"master":"http://127.0.0.1:5050/"}}""", "http://127.0.0.1:5050/")]
    [InlineData("""{"marathon_config":{"master":"master@10.0.0.1:5050"}}""", "http://10.0.0.1:5050")]
    [InlineData("""{"x":1}""", null)]
    public void MasterFromInfo_UrlOrPid(string info, string? expected) => Assert.Equal(expected, CompletedTasks.MasterFromInfo(info));

    [Fact]
    public void TryFormatTasks_HealthFromCheckResults()
    {
        const string json = """
            {"tasks":[{"id":"web.1","appId":"/web","host":"10.0.0.1","ports":[31000],"state":"TASK_RUNNING","healthCheckResults":[{"alive":false}],"startedAt":"t"}]}
            """;

        Assert.True(MarathonTables.TryFormatTasks(json, out string table, out _));

        Assert.Matches(@"web\.1\s+/web\s+10\.0\.0\.1\s+31000\s+TASK_RUNNING\s+unhealthy\s+t", table);
    }

    [Fact]
    public void TryFormatApps_NotMarathonJson_GivesReason()
    {
        Assert.False(MarathonTables.TryFormatApps("""{"x":1}""", out _, out string reason));
        Assert.Contains("apps", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web", "/web")]
    [InlineData("/prod/web/", "/prod/web")]
    public void Normalize_AppIds_AreAbsolutePaths(string id, string expected) => Assert.Equal(expected, AppVerb.Normalize(id));

    [Fact]
    public void Parse_ResponseWithARecordAndSrv_ReadsBoth()
    {
        byte[] query = DnsLookup.BuildQuery("web.marathon.mesos", DnsRecordType.A, 0x1234);
        var response = new List<byte>(query);
        response[2] = 0x81; // QR + RD
        response[3] = 0x80; // RA, NOERROR
        response[7] = 2; // ANCOUNT
        // A: pointer to the question name, type A, class IN, TTL 60, 4 bytes
        response.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 18, 0, 11]);
        // SRV: priority 0, weight 1, port 31000, target = pointer to the question name
        response.AddRange([0xC0, 0x0C, 0, 33, 0, 1, 0, 0, 0, 60, 0, 8, 0, 0, 0, 1, 0x79, 0x18, 0xC0, 0x0C]);

        var result = DnsLookup.Parse(response.ToArray(), 0x1234);

        Assert.Null(result.Failure);
        Assert.Equal("NOERROR", result.Rcode);
        Assert.Equal(new DnsAnswer("web.marathon.mesos.", "A", 60, "198.18.0.11"), result.Answers[0]);
        Assert.Equal("0 1 31000 web.marathon.mesos.", result.Answers[1].Data);
    }

    [Fact]
    public void Parse_OtherId_IsRejected()
    {
        byte[] query = DnsLookup.BuildQuery("web.mesos", DnsRecordType.A, 7);
        query[2] |= 0x80;

        Assert.NotNull(DnsLookup.Parse(query, 8).Failure);
    }

    [Fact]
    public void Build_TwoAgents_DistinctAddressesPortsAndWorkDirs()
    {
        var members = ClusterPlan.Build(new UpOptions { StateDir = "/s", Agents = 2, L4lb = true });

        Assert.Equal(["master", "scheduler", "agent0", "agent1", "dataplane", "packages", "jobs", "admin-router"], members.Select(m => m.Name));
        var agent1 = members[3].Arguments;
        Assert.Contains("127.0.0.2:5051", agent1);
        Assert.Contains("ports:[2025-2180,2182-3887,3889-4399,4401-5049,5052-7069,7071-8079,8082-8180,8182-8999,9001-32000]", agent1);
        Assert.Contains("/s/agent1", agent1);
        var dataplane = members[4].Arguments;
        Assert.Equal(["dataplane", "--master-url", "http://127.0.0.1:5050"], dataplane.Take(3));
        Assert.Contains("11.0.0.0/8", dataplane);
        Assert.Equal(new Uri("http://127.0.0.1:8080/ping"), members[1].ReadyUrl);
    }

    [Fact]
    public void Build_WithoutBalancer_TurnsItOffAndGivesNoRange()
    {
        var dataplane = ClusterPlan.Build(new UpOptions { StateDir = "/s", L4lb = false }).Single(m => m.Name == "dataplane").Arguments;

        Assert.Contains("off", dataplane);
        Assert.DoesNotContain("--vip-range", dataplane);
    }
}
