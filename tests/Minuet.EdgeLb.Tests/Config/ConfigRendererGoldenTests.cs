using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

/// <summary>
/// The nine acceptance cases restated from marathon-lb's own test suite (tests/test_marathon_lb.py, test_zdd.py), each
/// asserted on the whole generated text after the head.
/// </summary>
public sealed class ConfigRendererGoldenTests
{
    private static string Body(GeneratedConfig config)
    {
        Assert.StartsWith(Apps.Head, config.Text, StringComparison.Ordinal);
        return config.Text[Apps.Head.Length..];
    }

    [Fact]
    public void Render_NoApps_OnlyTheThreeFixedFrontends()
    {
        var (config, _) = Apps.Render(Apps.Document());
        Assert.Equal(Apps.FixedFrontends, Body(config));
    }

    [Fact]
    public void Render_HttpHealthCheck_HttpModeAppIdAclHttpchkAndServerCheck()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"")));
        Assert.Equal("""

            frontend marathon_http_in
              bind *:80
              mode http

            frontend marathon_http_appid_in
              bind *:9091
              mode http
              acl app__nginx hdr(x-marathon-app-id) -i /nginx
              use_backend nginx_10000 if app__nginx

            frontend marathon_https_in
              bind *:443 ssl crt /etc/ssl/cert.pem
              mode http

            frontend nginx_10000
              bind *:10000
              mode http
              use_backend nginx_10000

            backend nginx_10000
              balance roundrobin
              mode http
              option forwardfor
              http-request set-header X-Forwarded-Port %[dst_port]
              http-request add-header X-Forwarded-Proto https if { ssl_fc }
              option  httpchk GET /
              timeout check 10s
              server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363 check inter 2s fall 11

            """, Body(config));
    }

    [Fact]
    public void Render_CommandHealthCheck_TcpModeWithoutHttpchk()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"", Apps.CommandCheck)));
        Assert.Equal(Apps.FixedFrontends + """

            frontend nginx_10000
              bind *:10000
              mode tcp
              use_backend nginx_10000

            backend nginx_10000
              balance roundrobin
              mode tcp
              server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363 check inter 2s fall 11

            """, Body(config));
    }

    [Fact]
    public void Render_VhostAndPath_HostAndPathAclsOnHttpAndSniOnHttps()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx(
            "\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_VHOST\":\"test.example.com\",\"HAPROXY_0_PATH\":\"/some/path\"")));
        Assert.Equal("""

            frontend marathon_http_in
              bind *:80
              mode http
              acl host_test_example_com_nginx hdr(host) -i test.example.com
              acl path_nginx_10000 path_beg /some/path
              use_backend nginx_10000 if host_test_example_com_nginx path_nginx_10000

            frontend marathon_http_appid_in
              bind *:9091
              mode http
              acl app__nginx hdr(x-marathon-app-id) -i /nginx
              use_backend nginx_10000 if app__nginx

            frontend marathon_https_in
              bind *:443 ssl crt /etc/ssl/cert.pem
              mode http
              acl path_nginx_10000 path_beg /some/path
              use_backend nginx_10000 if { ssl_fc_sni test.example.com } path_nginx_10000

            frontend nginx_10000
              bind *:10000
              mode http
              use_backend nginx_10000

            backend nginx_10000
              balance roundrobin
              mode http
              option forwardfor
              http-request set-header X-Forwarded-Port %[dst_port]
              http-request add-header X-Forwarded-Proto https if { ssl_fc }
              option  httpchk GET /
              timeout check 10s
              server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363 check inter 2s fall 11

            """, Body(config));
    }

    [Fact]
    public void Render_VhostWithoutPath_UseBackendByHostAndBySni()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_VHOST\":\"test.example.com\"")));
        string body = Body(config);
        Assert.Contains("  acl host_test_example_com_nginx hdr(host) -i test.example.com\n  use_backend nginx_10000 if host_test_example_com_nginx\n", body, StringComparison.Ordinal);
        Assert.Contains("  use_backend nginx_10000 if { ssl_fc_sni test.example.com }\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StickyAndLeastconn_CookieOptionAndBalance()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx(
            "\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_STICKY\":\"true\",\"HAPROXY_0_BALANCE\":\"leastconn\"")));
        string body = Body(config);
        Assert.EndsWith("""

            backend nginx_10000
              balance leastconn
              mode http
              option forwardfor
              http-request set-header X-Forwarded-Port %[dst_port]
              http-request add-header X-Forwarded-Proto https if { ssl_fc }
              cookie mesosphere_server_id insert indirect nocache
              option  httpchk GET /
              timeout check 10s
              server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363 check cookie d6ad48c81f check inter 2s fall 11

            """, body, StringComparison.Ordinal);
        Assert.False(config.Backends["nginx_10000"].Dynamic); // add server has no cookie keyword: changes need a reload
    }

    [Fact]
    public void Render_PortGroupOverride_OnlyThePortInTheGroup()
    {
        string app = """
            {"id":"/nginx","labels":{"HAPROXY_GROUP":"external","HAPROXY_1_GROUP":"internal"},
             "portDefinitions":[{"port":10000},{"port":10001}],
             "tasks":[{"id":"nginx.1","host":"agent1","ports":[1024,1025],"state":"TASK_RUNNING"}]}
            """;
        var (config, _) = Apps.Render(Apps.Document(app));
        Assert.Contains("frontend nginx_10000\n", config.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("10001", config.Text, StringComparison.Ordinal);
        var (internalOnly, _) = Apps.Render(Apps.Document(app), false, "internal");
        Assert.Contains("frontend nginx_10001\n", internalOnly.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("nginx_10000", internalOnly.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StrictModeWithoutEnabled_AppOmitted()
    {
        var (strict, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\"")), strict: true);
        Assert.Equal(Apps.FixedFrontends.Replace("9091\n  mode http\n", "9091\n  mode http\n", StringComparison.Ordinal), strict.Text[Apps.Head.Length..]);
        var (enabled, _) = Apps.Render(Apps.Document(Apps.Nginx("\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_ENABLED\":\"true\"")), strict: true);
        Assert.Contains("backend nginx_10000\n", enabled.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ZddApps_OneBackendWithFourServersOneDisabled()
    {
        string document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "zdd_apps.json"));
        var (config, _) = Apps.Render(document);
        Assert.Equal("""

            frontend marathon_http_in
              bind *:80
              mode http

            frontend marathon_http_appid_in
              bind *:9091
              mode http
              acl app__nginx hdr(x-marathon-app-id) -i /nginx
              use_backend nginx_10000 if app__nginx

            frontend marathon_https_in
              bind *:443 ssl crt /etc/ssl/cert.pem
              mode http

            frontend nginx_10000
              bind *:10000
              mode http
              use_backend nginx_10000

            backend nginx_10000
              balance roundrobin
              mode http
              option forwardfor
              http-request set-header X-Forwarded-Port %[dst_port]
              http-request add-header X-Forwarded-Proto https if { ssl_fc }
              option  httpchk GET /
              timeout check 15s
              server 10_0_1_147_25724 10.0.1.147:25724 id 9975 check inter 3s fall 11
              server 10_0_6_25_16916 10.0.6.25:16916 id 14685 check inter 3s fall 11
              server 10_0_6_25_23336 10.0.6.25:23336 id 14676 check inter 3s fall 11
              server 10_0_6_25_31184 10.0.6.25:31184 id 27565 check inter 3s fall 11 disabled

            """, Body(config));
    }

    [Theory]
    [InlineData("0", 17068)]
    [InlineData("1", 25733)]
    [InlineData("a", 25929)]
    [InlineData("10_0_6_25_23336", 14676)]
    public void Calculate_KnownNames_MarathonLbIds(string name, int expected)
    {
        Assert.Equal(expected, ServerIds.Calculate(name, []));
    }

    [Fact]
    public void Calculate_Collision_RehashesToADifferentStableId()
    {
        var taken = new HashSet<int> { 17068 };
        int id = ServerIds.Calculate("0", taken);
        Assert.NotEqual(17068, id);
        Assert.Equal(id, ServerIds.Calculate("0", [17068]));
        Assert.Contains(id, taken);
    }

    [Theory]
    [InlineData(10, 30, 30, null, 15)] // grow by half while below the old count
    [InlineData(10, 8, 30, null, 30)]  // at or past the old count: straight to the target
    [InlineData(10, 20, 30, 15, 15)]   // hybrid: stop at HAPROXY_DEPLOYMENT_NEW_INSTANCES
    public void NextNewInstances_MarathonLbZddCases(int current, int old, int target, int? hybrid, int expected)
    {
        Assert.Equal(expected, ZddScaling.NextNewInstances(current, old, target, hybrid));
    }
}
