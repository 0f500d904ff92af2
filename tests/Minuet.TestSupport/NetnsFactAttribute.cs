using Xunit.Sdk;

namespace Minuet.TestSupport;

/// <summary>
/// A fact that needs root and network namespaces; skipped with the reason when they are missing, except under
/// <c>CI=true</c>, where it fails with the reason instead (<see cref="PrivilegedFactDiscoverer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class NetnsFactAttribute : FactAttribute, IPrivilegedFact
{
    public NetnsFactAttribute()
    {
        UnavailableReason = Privileges.NetnsUnavailableReason();
        if (PrivilegedFact.Decide(UnavailableReason, PrivilegedFact.IsCi()) == PrivilegedFactOutcome.Skip)
        {
            Skip = UnavailableReason;
        }
    }

    public string? UnavailableReason { get; }
}
