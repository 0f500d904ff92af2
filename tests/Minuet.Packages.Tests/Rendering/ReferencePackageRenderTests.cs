using System.Text;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Packages.Tests.Rendering;

/// <summary>
/// The four reference packages rendered with default options and with options that flip their sections. Expected
/// values are worked out by hand from the rules Cosmos follows (defaults ← options, mustache.java truthiness,
/// JSON-escaped strings, Cosmos labels last), not taken from this renderer's output.
/// </summary>
public sealed class ReferencePackageRenderTests
{
    private const string Source = "http://127.0.0.1:7070/repo";

    private static async Task<JsonObject> RenderAsync(string name, string? options = null, string? appId = null)
    {
        var outcome = await PackageRenderer.RenderAsync(PackageFixtures.Load(name), Source, options is null ? null : PackageFixtures.Options(options), appId);
        Assert.True(outcome.IsSuccess, outcome.Error?.Message + " " + outcome.Error?.Data?.ToJsonString());
        return outcome.Value!;
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Nginx_Defaults_BridgeWithTwoPortMappingsAndNoOptionalSections()
    {
        var app = await RenderAsync("nginx");
        Assert.Equal("/nginx", app["id"]!.GetValue<string>());
        Assert.Equal(1, app["instances"]!.GetValue<int>());
        Assert.Equal(1, app["cpus"]!.GetValue<int>());
        Assert.Equal("1024", app["mem"]!.ToJsonString()); // 1024.0 prints as an integer
        Assert.False(app.ContainsKey("cmd"));
        Assert.False(app.ContainsKey("uris"));
        var docker = app["container"]!["docker"]!;
        Assert.Equal("bitnami/nginx:1.10.3-r1", docker["image"]!.GetValue<string>());
        Assert.Equal("BRIDGE", docker["network"]!.GetValue<string>());
        Assert.Equal([80, 443], docker["portMappings"]!.AsArray().Select(m => m!["containerPort"]!.GetValue<int>()));
        Assert.Equal(["*"], Strings(app["acceptedResourceRoles"]));
        var labels = app["labels"]!.AsObject();
        Assert.Equal("nginx", labels["DCOS_SERVICE_NAME"]!.GetValue<string>());
        Assert.False(labels.ContainsKey("HAPROXY_GROUP"));
    }

    [Fact]
    public async Task Nginx_HostNetworkVirtualHostAndContentUrl_FlipsEverySection()
    {
        var app = await RenderAsync("nginx", """{"nginx":{"bridge":false,"virtual-host":"www.example.com","https-redirect":true,"contentUrl":"http://files.example/site.tgz","name":"web","mem":512}}""");
        Assert.Equal("/web", app["id"]!.GetValue<string>());
        Assert.Equal(512, app["mem"]!.GetValue<int>());
        var docker = app["container"]!["docker"]!.AsObject();
        Assert.Equal("HOST", docker["network"]!.GetValue<string>());
        Assert.False(docker.ContainsKey("portMappings"));
        Assert.Equal(["http://files.example/site.tgz"], Strings(app["uris"]));
        var labels = app["labels"]!.AsObject();
        Assert.Equal("external", labels["HAPROXY_GROUP"]!.GetValue<string>());
        Assert.Equal("www.example.com", labels["HAPROXY_0_VHOST"]!.GetValue<string>());
        Assert.Equal("true", labels["HAPROXY_0_REDIRECT_TO_HTTPS"]!.GetValue<string>()); // Java prints booleans lower-case
        Assert.Equal("web", labels["DCOS_SERVICE_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task MarathonLb_Defaults_EmptyStringsSkipSectionsAndNumbersPrintBare()
    {
        var app = await RenderAsync("marathon-lb");
        Assert.Equal("marathon-lb", app["id"]!.GetValue<string>());
        Assert.Equal(2, app["cpus"]!.GetValue<int>());
        Assert.Equal("0.5", app["upgradeStrategy"]!["minimumHealthCapacity"]!.ToJsonString());
        Assert.Equal("0.2", app["upgradeStrategy"]!["maximumOverCapacity"]!.ToJsonString());
        Assert.Equal(["slave_public"], Strings(app["acceptedResourceRoles"]));
        Assert.Equal(2, app["healthChecks"]![0]!["portIndex"]!.GetValue<int>()); // bind-http-https defaults to true
        Assert.Equal(
            ["sse", "-m", "http://marathon.mesos:8080", "--health-check", "--haproxy-map", "--max-reload-retries", "10", "--reload-interval", "10", "--group", "external"],
            Strings(app["args"]));
        Assert.False(app.ContainsKey("uris")); // template-url "" is false
        Assert.False(app.ContainsKey("secrets")); // secret_name "" is false
        var env = app["env"]!.AsObject();
        Assert.False(env.ContainsKey("DCOS_SERVICE_ACCOUNT_CREDENTIAL"));
        Assert.False(env.ContainsKey("HAPROXY_SYSLOGD"));
        Assert.Equal("redispatch,http-server-close,dontlognull", env["HAPROXY_GLOBAL_DEFAULT_OPTIONS"]!.GetValue<string>());
        Assert.Equal(string.Empty, env["HAPROXY_SSL_CERT"]!.GetValue<string>()); // no default: missing prints nothing
        var ports = app["ports"]!.AsArray().Select(p => p!.GetValue<int>()).ToList();
        Assert.Equal([80, 443, 9090, 9091], ports.Take(4));
        Assert.Equal(10100, ports[^1]);
        Assert.Equal(4 + 101, ports.Count);
        var parameters = app["container"]!["docker"]!["parameters"]!.AsArray();
        Assert.Equal(["created_by=marathon", "dcos_pkg_name=marathon-lb"], parameters.Select(p => p!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task MarathonLb_DocumentsInternalOptions_AndListSectionAndQuotesEscaped()
    {
        var app = await RenderAsync("marathon-lb", """
            {"marathon-lb":{"name":"marathon-lb-internal","haproxy-group":"internal","bind-http-https":false,"role":"",
             "auto-assign-service-ports":true,"strict-mode":true,"secret_name":"lb/secret","template-url":"http://t.example/t.tgz",
             "parameters":[{"key":"env","value":"A=\"quoted\""},{"key":"ulimit","value":"nofile=65536"}]}}
            """);
        Assert.Equal("marathon-lb-internal", app["id"]!.GetValue<string>());
        Assert.False(app.ContainsKey("acceptedResourceRoles")); // role "" is false
        Assert.Equal(0, app["healthChecks"]![0]!["portIndex"]!.GetValue<int>());
        Assert.Equal(
            ["sse", "-m", "http://marathon.mesos:8080", "--health-check", "--dont-bind-http-https", "--haproxy-map",
             "--min-serv-port-ip-per-task", "10101", "--max-serv-port-ip-per-task", "10150", "--strict-mode",
             "--max-reload-retries", "10", "--reload-interval", "10", "--group", "internal"],
            Strings(app["args"]));
        Assert.Equal(["http://t.example/t.tgz"], Strings(app["uris"]));
        Assert.Equal("lb/secret", app["secrets"]!["serviceCredential"]!["source"]!.GetValue<string>());
        Assert.Equal("serviceCredential", app["env"]!["DCOS_SERVICE_ACCOUNT_CREDENTIAL"]!["secret"]!.GetValue<string>());
        var ports = app["ports"]!.AsArray().Select(p => p!.GetValue<int>()).ToList();
        Assert.Equal(9090, ports[0]);
        Assert.Equal(10150, ports[^1]);
        Assert.Equal(2 + 101 + 50, ports.Count);
        var parameters = app["container"]!["docker"]!["parameters"]!.AsArray();
        Assert.Equal(["env", "ulimit", "label", "label"], parameters.Select(p => p!["key"]!.GetValue<string>()));
        Assert.Equal("A=\"quoted\"", parameters[0]!["value"]!.GetValue<string>()); // JSON-escaped before rendering
    }

    [Fact]
    public async Task Chronos_Defaults_ZeroIsTruthyAndNamesResolveUpTheStack()
    {
        var app = await RenderAsync("chronos");
        Assert.Equal("/chronos", app["id"]!.GetValue<string>());
        string cmd = app["cmd"]!.GetValue<string>();
        Assert.StartsWith("chronos run_jar --master zk://master.mesos:2181/mesos --zk_hosts master.mesos:2181 --http_port $PORT0 --mesos_framework_name chronos --hostname $HOST ", cmd, StringComparison.Ordinal);
        Assert.Contains(" --cassandra_port 9042 ", cmd, StringComparison.Ordinal);
        Assert.Contains(" --disable_after_failures 0 ", cmd, StringComparison.Ordinal); // 0 is true in mustache.java
        Assert.Contains(" --mesos_task_cpu 0.1 ", cmd, StringComparison.Ordinal);
        Assert.Contains(" --mesos_task_disk 256 ", cmd, StringComparison.Ordinal);
        Assert.DoesNotContain("--assets_path", cmd, StringComparison.Ordinal);
        Assert.DoesNotContain("--revive_offers_for_new_jobs", cmd, StringComparison.Ordinal);
        Assert.DoesNotContain("--user", cmd, StringComparison.Ordinal);
        Assert.Equal(["NO_OP"], app["env"]!.AsObject().Select(p => p.Key));
        Assert.Equal("docker.io/mesosphere/chronos:chronos-2.5.1-0.1.20171211074431.ubuntu1404-mesos-1.3.1", app["container"]!["docker"]!["image"]!.GetValue<string>());
        Assert.Equal("chronos", app["labels"]!["DCOS_PACKAGE_FRAMEWORK_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chronos_CredentialsAndBrokenUpstreamAssetsPath_RenderAsMustacheJavaDoes()
    {
        var app = await RenderAsync("chronos", """{"chronos":{"http-credentials":"u:p","assets-path":"/assets","revive-offers-for-new-jobs":true,"framework-name":"jobs"}}""");
        string cmd = app["cmd"]!.GetValue<string>();
        Assert.Contains(" --http_credentials u:p ", cmd, StringComparison.Ordinal);
        Assert.Contains(" --assets_path  ", cmd, StringComparison.Ordinal); // template reads chronos.assets_path: missing, empty
        Assert.Contains(" --revive_offers_for_new_jobs ", cmd, StringComparison.Ordinal);
        Assert.Contains("--mesos_framework_name jobs", cmd, StringComparison.Ordinal);
        Assert.Equal("u:p", app["env"]!["MESOSPHERE_HTTP_CREDENTIALS"]!.GetValue<string>());
        Assert.Equal("jobs", app["labels"]!["DCOS_PACKAGE_FRAMEWORK_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task Spark_Defaults_HttpHealthCheckUserParameterAndHttpScheme()
    {
        var app = await RenderAsync("spark");
        Assert.Equal("spark", app["id"]!.GetValue<string>());
        var env = app["env"]!.AsObject();
        Assert.False(env.ContainsKey("SPARK_SSL_ENABLED"));
        Assert.False(env.ContainsKey("SPARK_MESOS_KRB5_CONF_BASE64"));
        Assert.False(env.ContainsKey("DCOS_SERVICE_ACCOUNT_CREDENTIAL"));
        Assert.Equal(string.Empty, env["SPARK_HDFS_CONFIG_URL"]!.GetValue<string>());
        Assert.Equal("root", env["SPARK_USER"]!.GetValue<string>());
        Assert.Equal("INFO", env["SPARK_LOG_LEVEL"]!.GetValue<string>());
        Assert.False(app.ContainsKey("secrets"));
        var check = app["healthChecks"]![0]!;
        Assert.Equal("HTTP", check["protocol"]!.GetValue<string>());
        Assert.Equal(2, check["portIndex"]!.GetValue<int>());
        Assert.Equal("root", app["container"]!["docker"]!["parameters"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("http", app["labels"]!["DCOS_SERVICE_SCHEME"]!.GetValue<string>());
        Assert.Equal("2", app["labels"]!["DCOS_SERVICE_PORT_INDEX"]!.GetValue<string>());
    }

    [Fact]
    public async Task Spark_SslKerberosAndSecret_FlipToHttpsCommandCheckAndSecrets()
    {
        var app = await RenderAsync("spark", """{"service":{"name":"spark-2","user":""},"security":{"ssl":{"enabled":true,"keyStorePassword":"k\\\"p"},"kerberos":{"krb5conf":"a3JiNQ=="},"mesos":{"authentication":{"secret_name":"spark/secret"}}}}""");
        Assert.Equal("spark-2", app["id"]!.GetValue<string>());
        var env = app["env"]!.AsObject();
        Assert.Equal("true", env["SPARK_SSL_ENABLED"]!.GetValue<string>());
        Assert.Equal("k\\\"p", env["SPARK_SSL_KEYSTOREPASSWORD"]!.GetValue<string>());
        Assert.Equal("TLSv1.2", env["SPARK_SSL_PROTOCOL"]!.GetValue<string>());
        Assert.Equal("a3JiNQ==", env["SPARK_MESOS_KRB5_CONF_BASE64"]!.GetValue<string>());
        Assert.Equal("serviceCredential", env["DCOS_SERVICE_ACCOUNT_CREDENTIAL"]!["secret"]!.GetValue<string>());
        Assert.Equal("spark/secret", app["secrets"]!["serviceCredential"]!["source"]!.GetValue<string>());
        var check = app["healthChecks"]![0]!.AsObject();
        Assert.Equal("COMMAND", check["protocol"]!.GetValue<string>());
        Assert.False(check.ContainsKey("portIndex"));
        Assert.False(app["container"]!["docker"]!.AsObject().ContainsKey("parameters")); // user "" is false
        Assert.Equal("https", app["labels"]!["DCOS_SERVICE_SCHEME"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("marathon-lb")]
    [InlineData("chronos")]
    [InlineData("spark")]
    public async Task EveryPackage_Render_CarriesCosmosLabelsThatOverrideAndDecode(string name)
    {
        var package = PackageFixtures.Load(name);
        var options = PackageFixtures.Options(name == "spark" ? """{"service":{"name":"s2"}}""" : "{}");
        var outcome = await PackageRenderer.RenderAsync(package, Source, options.Count > 0 ? options : null, "/custom/id");
        Assert.True(outcome.IsSuccess);
        var app = outcome.Value!;
        Assert.Equal("/custom/id", app["id"]!.GetValue<string>());
        var labels = app["labels"]!.AsObject();
        Assert.Equal(name, labels["DCOS_PACKAGE_NAME"]!.GetValue<string>());
        Assert.Equal(package.Version, labels["DCOS_PACKAGE_VERSION"]!.GetValue<string>());
        Assert.Equal(Source, labels["DCOS_PACKAGE_SOURCE"]!.GetValue<string>());
        string userOptions = Encoding.UTF8.GetString(Convert.FromBase64String(labels["DCOS_PACKAGE_OPTIONS"]!.GetValue<string>()));
        Assert.Equal(options.Count > 0 ? options.ToJsonString() : "{}", userOptions); // the user's options, not the merged ones
        var stored = PackageLabels.ReadEnvelope(labels["DCOS_PACKAGE_DEFINITION"]!.GetValue<string>());
        Assert.NotNull(stored);
        Assert.Equal(name, stored!["name"]!.GetValue<string>());
        Assert.Equal(package.ReleaseVersion, stored["releaseVersion"]!.GetValue<long>());
        var envelope = JsonNode.Parse(Convert.FromBase64String(labels["DCOS_PACKAGE_DEFINITION"]!.GetValue<string>()))!;
        Assert.Equal("application/vnd.dcos.universe.package+json;charset=utf-8;version=v4", envelope["metadata"]!["Content-Type"]!.GetValue<string>());
        Assert.Equal("gzip", envelope["metadata"]!["Content-Encoding"]!.GetValue<string>());
    }

    [Fact]
    public async Task Template_LabelNamedLikeCosmos_IsOverridden()
    {
        var entry = (JsonObject)PackageFixtures.Load("nginx").Json.DeepClone();
        entry["marathon"] = new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":"/x","labels":{"DCOS_PACKAGE_NAME":"fake","KEEP":"yes"}}""")) };
        var outcome = await PackageRenderer.RenderAsync(PackageDefinition.TryRead(entry, out _)!, Source, null, null);
        Assert.Equal("nginx", outcome.Value!["labels"]!["DCOS_PACKAGE_NAME"]!.GetValue<string>());
        Assert.Equal("yes", outcome.Value!["labels"]!["KEEP"]!.GetValue<string>());
    }

    [Fact]
    public async Task Template_RendersToInvalidJson_IsUnableToParseMarathonAsJson()
    {
        var entry = (JsonObject)PackageFixtures.Load("nginx").Json.DeepClone();
        entry["marathon"] = new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id": {{nginx.name}} }""")) };
        var outcome = await PackageRenderer.RenderAsync(PackageDefinition.TryRead(entry, out _)!, Source, null, null);
        Assert.Equal("UnableToParseMarathonAsJson", outcome.Error!.Type);
        entry["marathon"] = new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("""["{{nginx.name}}"]""")) };
        outcome = await PackageRenderer.RenderAsync(PackageDefinition.TryRead(entry, out _)!, Source, null, null);
        Assert.Equal("MarathonTemplateMustBeJsonObject", outcome.Error!.Type);
    }
}
