using System.Diagnostics;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

/// <summary>Generated text is accepted by the real HAProxy (<c>haproxy -c</c>), when it is installed.</summary>
public sealed class HaproxyCheckTests
{
    [HaproxyFact]
    public void Render_VhostStickyZddApps_HaproxyAcceptsTheConfig()
    {
        string dir = Directory.CreateTempSubdirectory("edgelb-check").FullName;
        try
        {
            string document = Apps.Document(
                Apps.Nginx("\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_VHOST\":\"a.example.com,b.example.com\",\"HAPROXY_0_PATH\":\"/x\",\"HAPROXY_0_REDIRECT_TO_HTTPS\":\"true\""),
                Apps.Nginx("\"HAPROXY_GROUP\":\"external\",\"HAPROXY_0_STICKY\":\"true\",\"HAPROXY_0_PORT\":\"10002\"").Replace("\"/nginx\"", "\"/sticky\"", StringComparison.Ordinal));
            var (apps, _) = MarathonAppsReader.Parse(document);
            var (services, _) = new ServiceBuilder(Apps.Resolve, false).Build(apps);
            var config = ConfigRenderer.Render(services, Apps.Options() with { HaproxyDir = dir, SslCerts = null });
            string file = Path.Combine(dir, "haproxy.cfg");
            File.WriteAllText(file, config.Text);
            using var check = Process.Start(new ProcessStartInfo(HaproxyFactAttribute.Binary, ["-c", "-f", file]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string output = check.StandardOutput.ReadToEnd() + check.StandardError.ReadToEnd();
            check.WaitForExit();
            Assert.True(check.ExitCode == 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Runs only where Debian's haproxy is installed (test.sh installs it); skips with the reason elsewhere.</summary>
public sealed class HaproxyFactAttribute : FactAttribute
{
    public const string Binary = "/usr/sbin/haproxy";

    public HaproxyFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"{Binary} is not installed (apt-get install haproxy)";
        }
    }
}
