using System.Diagnostics;

namespace Minuet.IntegrationTests.Cli;

/// <summary>
/// The <c>./minuet</c> wrapper says it is building before the minute-long first build, and when the build fails shows
/// the error lines once and where the full log is. Run on a copy of the script with a stand-in <c>dotnet</c> on PATH.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapperScriptTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-wrapper-" + Guid.NewGuid().ToString("N")[..8]);

    public WrapperScriptTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "src", "Cli"));
        Directory.CreateDirectory(Path.Combine(_dir, "fakebin"));
        File.Copy(Path.Combine(RepoRoot(), "minuet"), Path.Combine(_dir, "minuet"));
        File.WriteAllText(Path.Combine(_dir, "src", "Cli", "Minuet.Cli.csproj"), "<Project />");
    }

    [Fact]
    public async Task Wrapper_FirstBuildFails_SaysItIsBuildingThenShowsEachErrorOnceAndTheLogPath()
    {
        FakeDotnet("""
            echo "  Determining projects to restore..."
            echo "/r/src/Cli/UpVerb.cs(12,5): error CS1002: ; expected [/r/src/Cli/Minuet.Cli.csproj]"
            echo "/r/src/Cli/UpVerb.cs(12,5): error CS1002: ; expected [/r/src/Cli/Minuet.Cli.csproj]"
            echo "    0 Warning(s)"
            exit 1
            """);

        var (code, stdout, stderr) = await RunAsync();

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith("minuet: building minuet (about a minute the first time)...", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n'), l => l.Contains("error CS1002", StringComparison.Ordinal));
        Assert.DoesNotContain("Determining projects", stderr, StringComparison.Ordinal);
        Assert.Contains($"minuet: build failed; full log: {_dir}/.build/cli/build.log", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrapper_BuildSucceeds_SaysItIsBuildingOnceThenRunsTheBinaryQuietly()
    {
        FakeDotnet("""
            out=""; while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
            printf '#!/bin/sh\necho "ran $*"\n' > "$out/minuet"; chmod +x "$out/minuet"
            """);

        var first = await RunAsync("version");
        var second = await RunAsync("version");

        Assert.Equal((0, "ran version\n"), (first.Code, first.StdOut));
        Assert.Contains("minuet: building minuet (about a minute the first time)...", first.StdErr, StringComparison.Ordinal);
        Assert.Equal((0, "ran version\n", string.Empty), second);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void FakeDotnet(string body)
    {
        string path = Path.Combine(_dir, "fakebin", "dotnet");
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private async Task<(int Code, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(_dir, "minuet"));
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PATH"] = Path.Combine(_dir, "fakebin") + ":/usr/bin:/bin";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoadBalancer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (LoadBalancer.sln) is not above " + AppContext.BaseDirectory);
    }
}
