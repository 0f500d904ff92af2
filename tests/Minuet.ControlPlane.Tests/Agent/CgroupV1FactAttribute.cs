using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// A fact that needs root and a writable cgroup v1 cpu and memory hierarchy at /sys/fs/cgroup. Without root it is
/// skipped (a failure when CI=true, like <see cref="RootFactAttribute"/>); on a machine without cgroup v1 (a cgroup
/// v2 host) it is skipped with that reason everywhere, since no privilege would let it run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[Xunit.Sdk.XunitTestCaseDiscoverer(PrivilegedFactDiscoverer.TypeName, PrivilegedFactDiscoverer.AssemblyName)]
public sealed class CgroupV1FactAttribute : FactAttribute, IPrivilegedFact
{
    public CgroupV1FactAttribute()
    {
        UnavailableReason = Privileges.RootUnavailableReason();
        if (UnavailableReason is not null)
        {
            if (PrivilegedFact.Decide(UnavailableReason, PrivilegedFact.IsCi()) == PrivilegedFactOutcome.Skip)
            {
                Skip = UnavailableReason;
            }

            return;
        }

        // Not a privilege CI lacks: the discoverer only fails on UnavailableReason, so this skip stands under CI too.
        var probe = new CgroupV1("/sys/fs/cgroup", "minuet-test");
        if (!probe.CpuAvailable || !probe.MemoryAvailable)
        {
            Skip = $"needs a writable cgroup v1 cpu and memory hierarchy: {probe.UnavailableReason}";
        }
    }

    /// <summary>Why root is missing, if it is; null as root.</summary>
    public string? UnavailableReason { get; }
}
