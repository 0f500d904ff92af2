using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>
/// A fact that needs root, network namespaces and Debian's <c>docker.io</c> (dockerd) and <c>busybox-static</c>.
/// Without root it is skipped (a failure under CI=true, like <see cref="NetnsFactAttribute"/>); without dockerd or
/// busybox it is skipped with that reason everywhere (./test.sh installs both).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class DockerFactAttribute : FactAttribute, IPrivilegedFact
{
    public DockerFactAttribute()
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

        if (DockerDaemonFixture.MissingTools() is { } missing)
        {
            Skip = missing;
        }
    }

    /// <summary>Why root or namespaces are missing, if they are.</summary>
    public string? UnavailableReason { get; }
}
