using Xunit.Sdk;

namespace Minuet.TestSupport;

/// <summary>
/// A fact that needs root (raw netlink, iptables); skipped with the reason when not root, except under
/// <c>CI=true</c>, where it fails with the reason instead (<see cref="PrivilegedFactDiscoverer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class RootFactAttribute : FactAttribute, IPrivilegedFact
{
    public RootFactAttribute()
    {
        UnavailableReason = Privileges.RootUnavailableReason();
        if (PrivilegedFact.Decide(UnavailableReason, PrivilegedFact.IsCi()) == PrivilegedFactOutcome.Skip)
        {
            Skip = UnavailableReason;
        }
    }

    public string? UnavailableReason { get; }
}
