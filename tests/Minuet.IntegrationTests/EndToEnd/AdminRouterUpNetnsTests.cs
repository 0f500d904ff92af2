using System.Text.Json;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The issue's "done when" with a real <c>minuet up</c> (root, in a namespace, Admin Router on 127.0.0.1:80 there):
/// no token is 401 <c>oauthjwt</c>; after <c>minuet auth login</c> the CLI works through the router; an app labelled
/// <c>DCOS_SERVICE_NAME=hello</c> answers at <c>/service/hello/</c>.
/// </summary>
public sealed class AdminRouterUpNetnsTests
{
    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Up_AdminRouter_RefusesWithoutTokenThenServesCliAndServiceAfterLogin()
    {
        using var up = UpInNetns.Start("mar", "--auth", "on", "--vip-range", "198.19.0.0/16");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        Assert.Contains("admin router http://127.0.0.1:80", up.Output, StringComparison.Ordinal);

        var refused = Sh(up, "curl -s -i 127.0.0.1/mesos/master/state");
        Assert.StartsWith("HTTP/1.1 401", refused, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: oauthjwt", refused, StringComparison.OrdinalIgnoreCase);

        string config = Path.Combine(up.Dir, "config.json");
        var anonymous = Cli(up, Path.Combine(up.Dir, "no-config.json"), "app", "list");
        Assert.NotEqual(0, anonymous.Code);
        Assert.Contains("minuet auth login", anonymous.Output, StringComparison.Ordinal);

        string password = Path.Combine(up.Dir, "password");
        await File.WriteAllTextAsync(password, "correct horse battery\n");
        var login = Cli(up, config, "auth", "login", "--username", "alice", "--password-file", password);
        Assert.True(login.Code == 0, login.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(config));
        string token = doc.RootElement.GetProperty("core").GetProperty("dcos_acs_token").GetString()!;

        string app = Path.Combine(up.Dir, "hello.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/hello","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":1,"cpus":0.1,"mem":64,
             "portDefinitions":[{"port":0}],"labels":{"DCOS_SERVICE_NAME":"hello","DCOS_SERVICE_SCHEME":"http","DCOS_SERVICE_PORT_INDEX":"0"}}
            """);
        var added = Cli(up, config, "app", "add", app);
        Assert.True(added.Code == 0, added.Output);
        await UpInNetns.WaitAsync(() => Cli(up, config, "task", "list").Output.Contains("TASK_RUNNING", StringComparison.Ordinal),
            "a running hello task", () => Cli(up, config, "task", "list").Output, TimeSpan.FromSeconds(90));

        Assert.StartsWith("HTTP/1.1 200", Sh(up, $"curl -s -i -H 'Authorization: token={token}' 127.0.0.1/marathon/v2/apps"), StringComparison.Ordinal);
        await UpInNetns.WaitAsync(() => Sh(up, $"curl -s -i -H 'Authorization: token={token}' 127.0.0.1/service/hello/").StartsWith("HTTP/1.1 200", StringComparison.Ordinal),
            "/service/hello/ answering", () => Sh(up, $"curl -s -i -H 'Authorization: token={token}' 127.0.0.1/service/hello/"), TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 401", Sh(up, "curl -s -i 127.0.0.1/service/hello/"), StringComparison.Ordinal);
    }

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;

    private static (int Code, string Output) Cli(UpInNetns up, string config, params string[] args) =>
        NetnsRunner.TrySh($"ip netns exec {up.Namespace} env MINUET_STATE_DIR={up.StateDir} MINUET_CONFIG={config} dotnet {NetnsProcess.MinuetDll} {string.Join(' ', args.Select(a => "'" + a + "'"))}");
}
