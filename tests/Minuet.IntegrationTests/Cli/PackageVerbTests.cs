using System.Net;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Service;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>minuet package ...</c> as a user runs it, against a package service with the local Universe.</summary>
public sealed class PackageVerbTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minuet-pkgcli-").FullName;
    private CosmosHost _cosmos = null!;

    private string Url => _cosmos.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _cosmos = CosmosHost.Create(new CosmosHostOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = new Uri("http://127.0.0.1:1"),
            LocalUniverse = Path.Combine(AppContext.BaseDirectory, "universe", "packages"),
        }, null, [], out _)!;
        await _cosmos.StartAsync();
    }

    public async Task DisposeAsync() => await _cosmos.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Search_Table_ListsHelloWorld()
    {
        var result = await CliProcess.RunAsync("package", "search", "hello", "--url", Url);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("hello-world  1.0.0", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WithOptionsFile_PrintsTheMarathonApp()
    {
        string options = Path.Combine(_dir, "options.json");
        await File.WriteAllTextAsync(options, """{"service":{"name":"greeter","instances":3}}""");
        var result = await CliProcess.RunAsync("package", "render", "hello-world", "--options", options, "--url", Url);
        Assert.Equal(0, result.ExitCode);
        var app = JsonNode.Parse(result.StdOut)!;
        Assert.Equal("/greeter", app["id"]!.GetValue<string>());
        Assert.Equal(3, app["instances"]!.GetValue<int>());
        Assert.Equal("hello-world", app["labels"]!["DCOS_PACKAGE_NAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task Install_BadOptions_ExitsOneListingEveryPointer()
    {
        string options = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(options, """{"service":{"instances":"two","mem":1}}""");
        var result = await CliProcess.RunAsync("package", "install", "hello-world", "--options", options, "--yes", "--url", Url);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Options JSON failed validation (JsonSchemaMismatch)", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("/service/instances:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("/service/mem:", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_Config_PrintsTheOptionsSchema()
    {
        var result = await CliProcess.RunAsync("package", "describe", "hello-world", "--config", "--url", Url);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello-world", JsonNode.Parse(result.StdOut)!["properties"]!["service"]!["properties"]!["name"]!["default"]!.GetValue<string>());
        var unknown = await CliProcess.RunAsync("package", "describe", "nope", "--url", Url);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Package [nope] not found (PackageNotFound)", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepoAddListRemove_ChangesTheOrder()
    {
        var added = await CliProcess.RunAsync("package", "repo", "add", "extra", "http://127.0.0.1:1/repo", "--index", "0", "--url", Url);
        Assert.Equal(0, added.ExitCode);
        var list = await CliProcess.RunAsync("package", "repo", "list", "--url", Url);
        var rows = list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("0      extra", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("1      local-universe", rows[2], StringComparison.Ordinal);
        var removed = await CliProcess.RunAsync("package", "repo", "remove", "extra", "--url", Url);
        Assert.Equal(0, removed.ExitCode);
        Assert.DoesNotContain("extra", removed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_LocalUniverse_PrintsAnIndex()
    {
        var result = await CliProcess.RunAsync("package", "build", Path.Combine(AppContext.BaseDirectory, "universe", "packages"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello-world", JsonNode.Parse(result.StdOut)!["packages"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Install_ServiceUnreachable_ExitsTwoSayingWhere()
    {
        var result = await CliProcess.RunAsync("package", "list", "--url", "http://127.0.0.1:1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot reach the package service", result.StdErr, StringComparison.Ordinal);
    }
}
