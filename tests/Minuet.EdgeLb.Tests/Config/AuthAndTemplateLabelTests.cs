using System.Diagnostics;
using System.Text.Json;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

/// <summary>
/// <c>HAPROXY_{n}_AUTH</c> and the per-app template labels (<c>HAPROXY_{n}_FRONTEND_HEAD</c>, <c>_BACKEND_HEAD</c>...)
/// asserted on the generated text as marathon-lb's config() writes it, bad values leaving the app out with the label
/// and reason, and the real HAProxy accepting the result.
/// </summary>
public sealed class AuthAndTemplateLabelTests
{
    /// <summary><c>openssl passwd -6 -salt minuet secret</c>.</summary>
    private const string Hash = "$6$minuet$fIGXN5sMQfxgon3jyYt9.FaKVgZMPr/0F2ZyuOkbcFzA91EZaIG1.O7wla5lQDmJTVT/myFE2lpmzdC24EvL6.";

    private static string Labels(params (string Key, string Value)[] labels) =>
        string.Join(",", new[] { ("HAPROXY_GROUP", "external") }.Concat(labels).Select(l => JsonSerializer.Serialize(l.Item1) + ":" + JsonSerializer.Serialize(l.Item2)));

    private static string Body(GeneratedConfig config)
    {
        Assert.StartsWith(Apps.Head, config.Text, StringComparison.Ordinal);
        return config.Text[Apps.Head.Length..];
    }

    [Fact]
    public void Render_AuthWithVhost_UserlistAndChallengeOnHttpAndHttps()
    {
        var (config, rejections) = Apps.Render(Apps.Document(Apps.Nginx(Labels(("HAPROXY_0_VHOST", "web.example.com"), ("HAPROXY_0_AUTH", "Staff only:alice:" + Hash)))));
        Assert.Empty(rejections);
        Assert.Equal($$"""

            userlist user_nginx_10000
              user alice password {{Hash}}

            frontend marathon_http_in
              bind *:80
              mode http
              acl host_web_example_com_nginx hdr(host) -i web.example.com
              acl auth_web_example_com_nginx http_auth(user_nginx_10000)
              http-request auth realm "Staff only" if host_web_example_com_nginx !auth_web_example_com_nginx
              use_backend nginx_10000 if host_web_example_com_nginx

            frontend marathon_http_appid_in
              bind *:9091
              mode http
              acl app__nginx hdr(x-marathon-app-id) -i /nginx
              use_backend nginx_10000 if app__nginx

            frontend marathon_https_in
              bind *:443 ssl crt /etc/ssl/cert.pem
              mode http
              acl auth_web_example_com_nginx http_auth(user_nginx_10000)
              http-request auth realm "Staff only" if { ssl_fc_sni web.example.com } !auth_web_example_com_nginx
              use_backend nginx_10000 if { ssl_fc_sni web.example.com }

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
    public void Render_AuthWithVhostAndPath_PathAclAndChallengeOnBoth()
    {
        var (config, _) = Apps.Render(Apps.Document(Apps.Nginx(Labels(("HAPROXY_0_VHOST", "web.example.com"), ("HAPROXY_0_PATH", "/admin"), ("HAPROXY_0_AUTH", "r:bob:" + Hash)))));
        string body = Body(config);
        Assert.Contains("""
              acl host_web_example_com_nginx hdr(host) -i web.example.com
              acl auth_web_example_com_nginx http_auth(user_nginx_10000)
              acl path_nginx_10000 path_beg /admin
              http-request auth realm "r" if host_web_example_com_nginx path_nginx_10000 !auth_web_example_com_nginx
              use_backend nginx_10000 if host_web_example_com_nginx path_nginx_10000

            """, body, StringComparison.Ordinal);
        Assert.Contains("""
              acl path_nginx_10000 path_beg /admin
              acl auth_web_example_com_nginx http_auth(user_nginx_10000)
              http-request auth realm "r" if { ssl_fc_sni web.example.com } path_nginx_10000 !auth_web_example_com_nginx
              use_backend nginx_10000 if { ssl_fc_sni web.example.com } path_nginx_10000

            """, body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FrontendAndBackendHeadOverrides_ReplaceThoseBlocksOnly()
    {
        var (config, rejections) = Apps.Render(Apps.Document(Apps.Nginx(Labels(
            ("HAPROXY_0_FRONTEND_HEAD", "\nfrontend {backend}\n  bind {bindAddr}:{servicePort}{sslCert}{bindOptions}\n  mode {mode}\n  maxconn 100\n"),
            ("HAPROXY_0_BACKEND_HEAD", "\r\nbackend {backend}\r\n  balance {balance}\r\n  mode {mode}\r\n  timeout server 90s\r\n"),
            ("HAPROXY_0_BACKEND_HTTP_HEALTHCHECK_OPTIONS", "  option  httpchk GET {healthCheckPath}\n  timeout check {healthCheckTimeoutSeconds}s\n  http-check expect status 200\n"),
            ("HAPROXY_0_FRONTEND_BACKEND_GLUE", "  acl is_ok always_true\n  use_backend {backend} if is_ok\n")))));
        Assert.Empty(rejections);
        Assert.Equal(Apps.FixedFrontends.Replace("  mode http\n\nfrontend marathon_https_in", "  mode http\n  acl app__nginx hdr(x-marathon-app-id) -i /nginx\n  use_backend nginx_10000 if app__nginx\n\nfrontend marathon_https_in", StringComparison.Ordinal) + """

            frontend nginx_10000
              bind *:10000
              mode http
              maxconn 100
              acl is_ok always_true
              use_backend nginx_10000 if is_ok

            backend nginx_10000
              balance roundrobin
              mode http
              timeout server 90s
              option forwardfor
              http-request set-header X-Forwarded-Port %[dst_port]
              http-request add-header X-Forwarded-Proto https if { ssl_fc }
              option  httpchk GET /
              timeout check 10s
              http-check expect status 200
              server agent1_1_1_1_1_1024 1.1.1.1:1024 id 28363 check inter 2s fall 11

            """, Body(config));
    }

    [Fact]
    public void Render_VhostAclOverrideWithEscapedBraces_UsedWithLiteralBraces()
    {
        var (config, rejections) = Apps.Render(Apps.Document(Apps.Nginx(Labels(("HAPROXY_0_VHOST", "web.example.com"),
            ("HAPROXY_0_HTTP_FRONTEND_ACL", "  use_backend {backend} if {{ hdr(host) -i {hostname} }}\n")))));
        Assert.Empty(rejections);
        Assert.Contains("  mode http\n  use_backend nginx_10000 if { hdr(host) -i web.example.com }\n\nfrontend marathon_http_appid_in", config.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HAPROXY_0_AUTH", "realm:alice", "3 fields")]
    [InlineData("HAPROXY_0_AUTH", "realm:al ice:" + Hash, "the user")]
    [InlineData("HAPROXY_0_AUTH", "re\"alm:alice:" + Hash, "the realm")]
    [InlineData("HAPROXY_0_AUTH", "realm:alice:secret", "crypt(3) hash")]
    [InlineData("HAPROXY_0_BACKEND_HEAD", "\nbackend {backend}\n  balance {algorithm}\n", "unknown placeholder '{algorithm}'")]
    [InlineData("HAPROXY_0_FRONTEND_HEAD", "\nfrontend {backend}\n  bind *:{servicePort}\n  acl x if { always_true }\n", "unknown placeholder '{ always_true }'")]
    [InlineData("HAPROXY_0_BACKEND_HTTP_OPTIONS", "  option forwardfor }\n", "single '}'")]
    [InlineData("HAPROXY_0_BACKEND_STICKY_OPTIONS", "  cookie x insert {", "single '{'")]
    [InlineData("HAPROXY_0_BACKEND_SERVER_OPTIONS", "  server {serverName} {host_ipv4}:{port} maxconn 5\n", "server-line templates are not supported")]
    [InlineData("HAPROXY_0_USERLIST_HEAD", "\nuserlist x\0\n", "NUL")]
    public void Build_BadAuthOrTemplate_AppLeftOutWithLabelAndReason(string label, string value, string reason)
    {
        string bad = Apps.Nginx(Labels((label, value))).Replace("\"/nginx\"", "\"/bad\"", StringComparison.Ordinal);
        var (config, rejections) = Apps.Render(Apps.Document(bad, Apps.Nginx(Labels())));
        var rejection = Assert.Single(rejections);
        Assert.Equal(("/bad", label), (rejection.AppId, rejection.Field));
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Hash, rejection.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("bad_", config.Text, StringComparison.Ordinal);
        Assert.Contains("backend nginx_10000\n", config.Text, StringComparison.Ordinal);
    }

    [HaproxyFact]
    public void Render_AuthPathMultiVhostAndOverrides_HaproxyAcceptsTheConfig()
    {
        string document = Apps.Document(
            Apps.Nginx(Labels(("HAPROXY_0_VHOST", "a.example.com,b.example.com"), ("HAPROXY_0_PATH", "/x"), ("HAPROXY_0_AUTH", "Staff only:alice:" + Hash))),
            Apps.Nginx(Labels(("HAPROXY_0_VHOST", "c.example.com"), ("HAPROXY_0_AUTH", "r:bob:" + Hash), ("HAPROXY_0_PORT", "10002"),
                ("HAPROXY_0_BACKEND_HEAD", "\nbackend {backend}\n  balance {balance}\n  mode {mode}\n  timeout server 90s\n"),
                ("HAPROXY_0_FRONTEND_HEAD", "\nfrontend {backend}\n  bind {bindAddr}:{servicePort}\n  mode {mode}\n  maxconn 100\n"))).Replace("\"/nginx\"", "\"/other\"", StringComparison.Ordinal));
        HaproxyCheck.AssertAccepted(document, out var rejections);
        Assert.Empty(rejections);
    }
}

/// <summary>Renders a document into a temporary directory and runs <c>haproxy -c</c> on it.</summary>
internal static class HaproxyCheck
{
    public static void AssertAccepted(string document, out List<Rejection> rejections)
    {
        string dir = Directory.CreateTempSubdirectory("edgelb-check").FullName;
        try
        {
            var (apps, problems) = MarathonAppsReader.Parse(document);
            Assert.Empty(problems);
            List<EdgeService> services;
            (services, rejections) = new ServiceBuilder(Apps.Resolve, false).Build(apps);
            var config = ConfigRenderer.Render(services, Apps.Options() with { HaproxyDir = dir, SslCerts = null });
            string file = Path.Combine(dir, "haproxy.cfg");
            File.WriteAllText(file, config.Text);
            using var check = Process.Start(new ProcessStartInfo(HaproxyFactAttribute.Binary, ["-c", "-f", file]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string output = check.StandardOutput.ReadToEnd() + check.StandardError.ReadToEnd();
            check.WaitForExit();
            Assert.True(check.ExitCode == 0, output + "\n" + config.Text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
