using Minuet.ControlPlane.Agent.Network;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.Docker;

/// <summary>
/// A fact that starts its own <c>dockerd</c> in a network namespace: needs root and namespaces (a failure under
/// CI=true when missing, like <see cref="NetnsFactAttribute"/>), and Debian's docker.io and busybox-static
/// installed (skipped with that reason otherwise; ./test.sh installs both).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class DockerdFactAttribute : FactAttribute, IPrivilegedFact
{
    public DockerdFactAttribute()
    {
        UnavailableReason = Privileges.NetnsUnavailableReason();
        if (UnavailableReason is not null)
        {
            if (PrivilegedFact.Decide(UnavailableReason, PrivilegedFact.IsCi()) == PrivilegedFactOutcome.Skip)
            {
                Skip = UnavailableReason;
            }

            return;
        }

        if (ToolRunner.Find("dockerd") is null || ToolRunner.Find("nsenter") is null)
        {
            Skip = "needs dockerd (Debian's docker.io) and nsenter; ./test.sh installs them";
        }
        else if (!File.Exists("/bin/busybox"))
        {
            Skip = "needs /bin/busybox (Debian's busybox-static); ./test.sh installs it";
        }
    }

    public string? UnavailableReason { get; }
}
