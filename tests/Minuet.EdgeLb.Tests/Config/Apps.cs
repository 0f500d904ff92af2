using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

/// <summary>Builds <c>/v2/apps?embed=apps.tasks</c> documents and renders them, as marathon-lb's tests build services.</summary>
internal static class Apps
{
    public const string HttpCheck = """{"path":"/","protocol":"HTTP","portIndex":0,"gracePeriodSeconds":10,"intervalSeconds":2,"timeoutSeconds":10,"maxConsecutiveFailures":10}""";
    public const string CommandCheck = """{"command":{"value":"curl -f -X GET http://$HOST:$PORT0/"},"protocol":"COMMAND","portIndex":0,"gracePeriodSeconds":10,"intervalSeconds":2,"timeoutSeconds":10,"maxConsecutiveFailures":10}""";

    /// <summary>The <c>/nginx</c> app of marathon-lb's tests: service port 10000, one task agent1 (1.1.1.1):1024.</summary>
    public static string Nginx(string labels, string? check = HttpCheck, string healthResults = """[{"alive":true}]""") =>
        $$"""
        {"id":"/nginx","instances":1,"labels":{{{labels}}},
         "portDefinitions":[{"port":10000,"protocol":"tcp"}],
         "healthChecks":[{{check ?? ""}}],
         "tasks":[{"id":"nginx.1","host":"agent1","ports":[1024],"state":"TASK_RUNNING","healthCheckResults":{{healthResults}}}]}
        """;

    public static string Document(params string[] apps) => "{\"apps\":[" + string.Join(",", apps) + "]}";

    public static GeneratorOptions Options(bool strict = false, params string[] groups) => new()
    {
        Groups = groups.Length == 0 ? ["external"] : groups,
        SslCerts = "/etc/ssl/cert.pem",
        HaproxyDir = "/run/mlb",
    };

    public static string? Resolve(string host) => host == "agent1" ? "1.1.1.1" : host;

    public static (GeneratedConfig Config, List<Rejection> Rejections) Render(string document, bool strict = false, params string[] groups)
    {
        var (apps, problems) = MarathonAppsReader.Parse(document);
        Assert.Empty(problems);
        var (services, rejections) = new ServiceBuilder(Resolve, strict).Build(apps);
        return (ConfigRenderer.Render(services, Options(strict, groups)), rejections);
    }

    public static string Head => ConfigHead.Render(Options());

    public const string FixedFrontends = """

        frontend marathon_http_in
          bind *:80
          mode http

        frontend marathon_http_appid_in
          bind *:9091
          mode http

        frontend marathon_https_in
          bind *:443 ssl crt /etc/ssl/cert.pem
          mode http

        """;
}
